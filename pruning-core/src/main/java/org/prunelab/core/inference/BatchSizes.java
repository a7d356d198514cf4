package org.prunelab.core.inference;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The batch size a dense-based form runs fastest at on this machine, so that speed-ups are measured against the
 * fastest dense pass the project can run rather than against an arbitrary batch: on one machine of this project's
 * kind the dense test-set pass took 658 ms at batch 64 and 361 ms at 2,000.
 */
public final class BatchSizes {
    /** The candidates the evaluator and the benchmark try, unless told otherwise. */
    public static final List<Integer> CANDIDATES = List.of(64, 128, 256, 512, 1000, 2000);
    private static final TimingPolicy SEARCH = new TimingPolicy(1, 1);

    private BatchSizes() {
    }

    /**
     * The candidate at which {@code make} gives the fastest pass over {@code x}: one warm-up and one timed pass each,
     * on the first two batches' worth of the largest candidate (or all {@code count} images, if fewer). The ranking
     * needs every candidate to run whole batches, not the whole set, and candidates close enough for noise to swap
     * them are close in speed too. Measured in a quick study (MNIST test set, 10 network shapes): the search over
     * all 10,000 images with a warm-up and 3 timed passes took ~25 of the evaluation's 97 s.
     */
    public static int fastest(IntFunction<InferenceForm> make, List<Integer> candidates, float[] x, int count) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int images = Math.min(count, 2 * candidates.stream().mapToInt(Integer::intValue).max().orElseThrow());
        InferenceTimer quick = new InferenceTimer(SEARCH);
        int best = candidates.get(0);
        double bestMs = Double.MAX_VALUE;
        for (int b : candidates) {
            double ms = quick.time(make.apply(b), x, images).wallMedianMs();
            if (ms < bestMs) {
                bestMs = ms;
                best = b;
            }
        }
        return best;
    }
}
