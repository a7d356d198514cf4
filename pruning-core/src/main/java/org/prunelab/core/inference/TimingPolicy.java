package org.prunelab.core.inference;

/**
 * How often a form is run before and while it is timed: the one home of these numbers for the evaluator, the
 * benchmark and the runner.
 *
 * @param warmups     passes over the set before timing starts (JIT, caches)
 * @param repetitions timed passes; the median is reported
 */
public record TimingPolicy(int warmups, int repetitions) {
    /** The study's: 2 warm-ups, median of 7. */
    public static final TimingPolicy STUDY = new TimingPolicy(2, 7);
    /** bin/run --quick: enough to rank the forms in a few minutes. */
    public static final TimingPolicy QUICK = new TimingPolicy(1, 3);

    public TimingPolicy {
        if (repetitions < 1 || warmups < 0) {
            throw new IllegalArgumentException("need warmups >= 0 and repetitions >= 1, got " + warmups + " and "
                    + repetitions);
        }
    }

    /** This policy with the given values where present. */
    public TimingPolicy with(java.util.Optional<Integer> warmups, java.util.Optional<Integer> repetitions) {
        return new TimingPolicy(warmups.orElse(this.warmups), repetitions.orElse(this.repetitions));
    }
}
