package org.prunelab.core.inference;

/**
 * How often a form is run before and while it is timed: the one home of these numbers for the evaluator, the
 * benchmark and the runner.
 *
 * <p>Paired timing ({@link InferenceTimer#pairAll}) runs at least {@code repetitions} pairs, then more rounds until
 * every form's median pass time is known within {@code precision} (a distribution-free interval of the median holding
 * it with probability at least 95 %, its half-width over the median), or {@code maxRepetitions} pairs have run. The
 * noise differs by machine and thread count: on a 2-core EPYC of this project's kind, with the pipeline's other
 * services idle beside it, the dense medians of one computation over a run's 20 variants spread 5.7 % at 1 thread and
 * 11.7 % at 2 with 7 pairs each, and 4.6 % and 4.2 % with this policy (every variant reached the most, 41 pairs).
 * Above one thread the rounds past the fewest may go on longer ({@link #mostPairs}): with the services' wake-ups
 * taken from one of the two timed threads, a 2-thread pass's noise was 10 % of its median (1 thread: 2.5 %) and the
 * run's 20 dense medians at 41 pairs spread 5.5-6.6 %; at up to 75, in two runs on a busier spell of the host, 7.2 %
 * and 6.2 % (1 thread: 3.0 and 4.3 %; the same 20 forms alone in one JVM: 0.9 % and 2.8 %).
 *
 * @param warmups        passes over the set before timing starts (JIT, caches)
 * @param repetitions    timed passes (pairs) at least; the median is reported
 * @param maxRepetitions timed passes (pairs) at most at one thread ({@link #mostPairs} at more)
 * @param precision      the relative half-width of the medians' intervals that ends paired timing early; 0: always
 *                       {@code maxRepetitions}
 */
public record TimingPolicy(int warmups, int repetitions, int maxRepetitions, double precision) {
    /** The study's: 2 warm-ups, at least 7 pairs, more until the medians are known within 2.5 %, at most 41. */
    public static final TimingPolicy STUDY = new TimingPolicy(2, 7, 41, 0.025);
    /** bin/run --quick: enough to rank the forms in a few minutes. */
    public static final TimingPolicy QUICK = new TimingPolicy(1, 3);

    public TimingPolicy {
        if (repetitions < 1 || warmups < 0) {
            throw new IllegalArgumentException("need warmups >= 0 and repetitions >= 1, got " + warmups + " and "
                    + repetitions);
        }
        if (maxRepetitions < repetitions) {
            throw new IllegalArgumentException("the most repetitions (" + maxRepetitions + ") must be at least the "
                    + "fewest (" + repetitions + ")");
        }
        if (!(precision >= 0 && precision < 1)) {
            throw new IllegalArgumentException("precision is a fraction of the median in [0, 1), got " + precision);
        }
    }

    /**
     * The most pairs at {@code threads} threads: the rounds past the fewest times the thread count, as a pass there
     * takes about 1/threads as long (the same time buys that many more pairs) and its spread is wider. Exactly
     * {@code repetitions} where that is the most.
     */
    public int mostPairs(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return repetitions + (maxRepetitions - repetitions) * threads;
    }

    /** Exactly {@code repetitions} timed passes. */
    public TimingPolicy(int warmups, int repetitions) {
        this(warmups, repetitions, repetitions, 0);
    }

    /**
     * This policy with the given values where present. Repetitions given without a most are an exact count, as they
     * were before timing went on past them.
     */
    public TimingPolicy with(java.util.Optional<Integer> warmups, java.util.Optional<Integer> repetitions,
                             java.util.Optional<Integer> maxRepetitions, java.util.Optional<Double> precision) {
        int fewest = repetitions.orElse(this.repetitions);
        return new TimingPolicy(warmups.orElse(this.warmups), fewest,
                maxRepetitions.orElse(repetitions.isPresent() ? fewest : this.maxRepetitions),
                precision.orElse(this.precision));
    }

    /** This policy with the given values where present, the rest unchanged. */
    public TimingPolicy with(java.util.Optional<Integer> warmups, java.util.Optional<Integer> repetitions) {
        return with(warmups, repetitions, java.util.Optional.empty(), java.util.Optional.empty());
    }

    /** The same policy with one warm-up fewer (where a check's passes have already warmed the forms up). */
    public TimingPolicy oneWarmupFewer() {
        return new TimingPolicy(Math.max(0, warmups - 1), repetitions, maxRepetitions, precision);
    }
}
