package org.prunelab.core.analysis;

import java.util.Arrays;
import org.prunelab.core.model.Layer;
import org.prunelab.core.pruning.MagnitudeOrder;

/**
 * How the layer's largest weights (the top {@code share} by magnitude, over the whole layer) are spread over its
 * neurons: how many of them each neuron receives, and how even that is. Even spread is why weight pruning keeps
 * every neuron alive, and why removing whole neurons costs more accuracy at the same percentage.
 *
 * @param perNeuron       top weights landing in each neuron (column)
 * @param gini            Gini coefficient of perNeuron: 0 = perfectly even, towards 1 = all in few neurons
 * @param neuronsWithNone neurons that receive none of the top weights
 * @param maxOverMean     the busiest neuron's count over the mean count
 */
public record TopWeightSpread(double share, int topWeights, int[] perNeuron, double gini, int neuronsWithNone,
                              double maxOverMean) {
    /** Bins of the per-neuron counts' histogram, for the report's chart and the dashboard alike. */
    public static final int HISTOGRAM_BINS = 20;

    /** Neurons by how many top weights they receive, in {@link #HISTOGRAM_BINS} equal bins. */
    public Histogram histogram() {
        return Histogram.of(Arrays.stream(perNeuron).asDoubleStream().toArray(), HISTOGRAM_BINS);
    }

    public static TopWeightSpread of(Layer layer, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        int n = layer.size();
        int k = (int) Math.floor(share * n);
        // the k largest in the order the pruning rules use, so "top" here is exactly what weight pruning keeps
        int[] order = MagnitudeOrder.ascending(layer.weights());
        int[] per = new int[layer.out()];
        for (int r = n - 1; r >= n - k; r--) {
            per[order[r] % layer.out()]++;
        }
        int none = 0;
        int max = 0;
        for (int c : per) {
            if (c == 0) {
                none++;
            }
            max = Math.max(max, c);
        }
        double mean = (double) k / per.length;
        return new TopWeightSpread(share, k, per, gini(per), none, mean == 0 ? 0 : max / mean);
    }

    /** Gini coefficient of non-negative counts: sum |xi - xj| / (2 n^2 mean). */
    static double gini(int[] counts) {
        int[] s = counts.clone();
        Arrays.sort(s);
        long total = 0;
        double weighted = 0;
        for (int i = 0; i < s.length; i++) {
            total += s[i];
            weighted += (double) (i + 1) * s[i];
        }
        if (total == 0) {
            return 0;
        }
        int n = s.length;
        return (2 * weighted) / (n * (double) total) - (n + 1.0) / n;
    }
}
