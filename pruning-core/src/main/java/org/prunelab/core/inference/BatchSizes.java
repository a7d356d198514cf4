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

    private BatchSizes() {
    }

    /**
     * The candidate at which {@code make} gives the fastest pass over {@code x}, timed with {@link TimingPolicy#QUICK}
     * on the first two batches' worth of the largest candidate (or all {@code count} images, if fewer): the ranking
     * needs every candidate to run several whole batches, not the whole set. Measured in a quick study (MNIST test
     * set, 10 network shapes): the search over all 10,000 images took ~25 of the evaluation's 97 s.
     */
    public static int fastest(IntFunction<InferenceForm> make, List<Integer> candidates, float[] x, int count) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int images = Math.min(count, 2 * candidates.stream().mapToInt(Integer::intValue).max().orElseThrow());
        InferenceTimer quick = new InferenceTimer(TimingPolicy.QUICK);
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
