package org.prunelab.core.pruning;

import java.util.Arrays;

/**
 * Weights ordered by magnitude, smallest first, ties by position: the order the pruning rules and the analyses
 * share. The |w| of a float orders like its raw bits with the sign cleared, so each weight becomes one long
 * (magnitude bits, position) and a primitive sort does the rest.
 */
public final class MagnitudeOrder {
    private MagnitudeOrder() {
    }

    /** Positions of {@code w} sorted by |w| ascending, ties by position. */
    public static int[] ascending(float[] w) {
        long[] keys = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            long magnitude = Float.floatToRawIntBits(w[i]) & 0x7fffffffL;
            keys[i] = (magnitude << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[w.length];
        for (int r = 0; r < keys.length; r++) {
            order[r] = (int) keys[r];
        }
        return order;
    }
}
