package org.prunelab.core.inference;

/**
 * A fast form timed against the dense baseline at one thread count, their repetitions alternating
 * ({@link InferenceTimer#pair}); each pair gives one ratio dense / fast.
 *
 * @param threads     threads both forms computed with
 * @param dense       the dense baseline's timing (the fastest dense form at this thread count; {@link Timing#form()}
 *                    says which)
 * @param fast        the fast form's timing
 * @param speedup     median of the pairs' ratios dense / fast
 * @param speedupLow  the k-th smallest pair ratio: with n pairs, [low, high] holds the median ratio with probability
 *                    at least 95 % whatever the noise's distribution (k = 0, the smallest and largest, for 7 pairs:
 *                    98.4 %; see {@code InferenceTimer.medianIntervalRank})
 * @param speedupHigh the k-th largest pair ratio
 */
public record PairedTiming(int threads, Timing dense, Timing fast, double speedup, double speedupLow,
                           double speedupHigh) {

    /** The speed-up's lower bound, or the speed-up itself where none was recorded. */
    public double speedupAtLeast() {
        return speedupLow > 0 ? speedupLow : speedup;
    }

    /** The speed-up's upper bound, or the speed-up itself where none was recorded. */
    public double speedupAtMost() {
        return speedupHigh > 0 ? speedupHigh : speedup;
    }
}
