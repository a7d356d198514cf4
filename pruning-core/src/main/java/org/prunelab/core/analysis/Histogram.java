package org.prunelab.core.analysis;

/**
 * Counts of values in equal-width bins over [min, max]; the last bin includes max.
 *
 * @param edges bins + 1 boundaries, ascending
 */
public record Histogram(double[] edges, long[] counts) {

    public static Histogram of(double[] values, int bins, double min, double max) {
        if (bins < 1 || !(max > min)) {
            throw new IllegalArgumentException("need bins >= 1 and max > min");
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = min + (max - min) * b / bins;
        }
        long[] counts = new long[bins];
        double width = (max - min) / bins;
        for (double v : values) {
            if (v < min || v > max) {
                continue;
            }
            counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
        }
        return new Histogram(edges, counts);
    }

    /** Over the values' own range (a single value gets a bin of width 1 around it). */
    public static Histogram of(double[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (values.length == 0) {
            return of(values, bins, 0, 1);
        }
        return max > min ? of(values, bins, min, max) : of(values, bins, min - 0.5, min + 0.5);
    }

    /** The middle of bin {@code b}, which names the bin in charts and metrics. */
    public double centre(int b) {
        return (edges[b] + edges[b + 1]) / 2;
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
