package org.prunelab.core.pruning;

import java.util.List;

/** Pruning percentages: a share in [0, 100) of a layer's weights or neurons. */
public final class Percentage {
    /** The study's default grid. */
    public static final List<Double> DEFAULTS = List.of(0.0, 25.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 97.0, 99.0);

    private Percentage() {
    }

    public static double check(double p) {
        if (!(p >= 0 && p < 100)) { // also refuses NaN
            throw new IllegalArgumentException("pruning percentage must be in [0, 100), got " + p);
        }
        return p;
    }

    /** A stable label for keys and file names: 50.0 -> "50", 97.5 -> "97.5". */
    public static String label(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
