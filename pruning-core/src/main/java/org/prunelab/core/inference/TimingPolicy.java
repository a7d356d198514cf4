package org.prunelab.core.inference;

/**
 * How often a form is run before and while it is timed: the one home of these numbers for the evaluator, the
 * benchmark and the runner.
 *
 * @param warmups     passes over the set before timing starts (JIT, caches)
 * @param repetitions timed passes; the median is reported
 * @param slices      parts of the set each timed pass of forms timed together is cut into, each part visited in its
 *                    own turn of the round ({@link InferenceTimer#pairAll}); 1: every pass in one piece
 */
public record TimingPolicy(int warmups, int repetitions, int slices) {
    /** The study's: 2 warm-ups, median of 7, each pass in 5 slices spread over its round. */
    public static final TimingPolicy STUDY = new TimingPolicy(2, 7, 5);
    /** bin/run --quick: enough to rank the forms in a few minutes. */
    public static final TimingPolicy QUICK = new TimingPolicy(1, 3, 1);

    public TimingPolicy {
        if (repetitions < 1 || warmups < 0 || slices < 1) {
            throw new IllegalArgumentException("need warmups >= 0, repetitions >= 1 and slices >= 1, got " + warmups
                    + ", " + repetitions + " and " + slices);
        }
    }

    /** Whole passes, not sliced. */
    public TimingPolicy(int warmups, int repetitions) {
        this(warmups, repetitions, 1);
    }

    /** This policy with the given values where present. */
    public TimingPolicy with(java.util.Optional<Integer> warmups, java.util.Optional<Integer> repetitions,
                             java.util.Optional<Integer> slices) {
        return new TimingPolicy(warmups.orElse(this.warmups), repetitions.orElse(this.repetitions),
                slices.orElse(this.slices));
    }
}
