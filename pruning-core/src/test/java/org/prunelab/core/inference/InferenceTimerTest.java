package org.prunelab.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing protocol on a clock the test drives: each fake form's pass advances it by a set amount. */
class InferenceTimerTest {
    private long now;
    private final List<String> calls = new ArrayList<>();
    /** The thread count of the forms made from here on. */
    private int threads = 1;

    /** A form whose pass takes {@code costs[i]} ns on the i-th call (the last cost repeats). */
    private InferenceForm form(String name, long... costs) {
        int formThreads = threads;
        return new InferenceForm() {
            private int call;

            @Override
            public String name() {
                return name;
            }

            @Override
            public int batchSize() {
                return 10;
            }

            @Override
            public int threads() {
                return formThreads;
            }

            @Override
            public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
                now += costs[Math.min(call++, costs.length - 1)];
                calls.add(name);
            }

            @Override
            public int inputs() {
                return 1;
            }

            @Override
            public int classes() {
                return 1;
            }
        };
    }

    /** A form whose pass over each batch costs {@code early} ns for its first {@code calls} batches, then {@code later}. */
    private InferenceForm phased(String name, int calls, long early, long later) {
        long[] costs = new long[calls + 1];
        java.util.Arrays.fill(costs, early);
        costs[calls] = later;
        return form(name, costs);
    }

    @Test
    void aSearchChoosesAmongTheCloseCandidatesOnTheWholeSet() {
        // over 2 batches (warm-up and 3 rounds: 8 calls) b looks fastest, a 5 % slower, c twice as slow; over the
        // whole set of 10 batches a is twice as fast as b
        InferenceForm a = phased("a", 8, 1_050_000, 500_000);
        InferenceForm b = phased("b", 8, 1_000_000, 1_000_000);
        InferenceForm c = phased("c", 8, 2_000_000, 2_000_000);
        InferenceTimer.Search<String> found = InferenceTimer.search(List.of("a", "b", "c"), name -> switch (name) {
            case "a" -> a;
            case "b" -> b;
            default -> c;
        }, new float[100], 20, 100, () -> now);
        assertEquals("a", found.best());
        // c, outside the 10 % margin, was not timed on the whole set; a and b were, in 9 rounds of 5 passes (a pass
        // of 100 images looked like 10.5 ms: 5 make the 50 ms a measurement lasts at least)
        assertEquals(8, calls.stream().filter("c"::equals).count());
        assertEquals(8 + 9 * 5 * 10, calls.stream().filter("b"::equals).count());
        // their whole-set medians, fastest first: a pass of a is 10 batches of 0.5 ms, of b 10 of 1 ms
        assertEquals(List.of("a", "b"), List.copyOf(found.finalists().keySet()));
        assertEquals(5.0, found.finalists().get("a"), 1e-9);
        assertEquals(10.0, found.finalists().get("b"), 1e-9);
        // the final stage's rounds (after the first stage's 24 calls) go b, a (first-stage order: b looked faster),
        // then a, b: each round's 5 passes of 10 batches
        List<String> last = calls.subList(24, calls.size());
        assertEquals("b", last.get(0));
        assertEquals("a", last.get(50));
        assertEquals("a", last.get(100));
        assertEquals("b", last.get(150));
    }

    @Test
    void pairsAlternateTheirOrderAndGiveOneRatioEach() {
        InferenceTimer timer = new InferenceTimer(new TimingPolicy(1, 4), () -> now, () -> now);
        // warm-up pass first (the cost 0 entries), then dense 4, 8, 6, 4 ms and fast 2, 2, 3, 4 ms
        InferenceForm dense = form("dense", 0, 4_000_000, 8_000_000, 6_000_000, 4_000_000);
        InferenceForm fast = form("csr", 0, 2_000_000, 2_000_000, 3_000_000, 4_000_000);
        PairedTiming p = timer.pair(dense, fast, new float[10], 10);
        assertEquals(List.of("dense", "csr", "dense", "csr", "csr", "dense", "dense", "csr", "csr", "dense"), calls);
        // pair ratios 2, 4, 2, 1: median 2, interval [1, 4]
        assertEquals(2.0, p.speedup(), 1e-9);
        assertEquals(1.0, p.speedupLow(), 1e-9);
        assertEquals(4.0, p.speedupHigh(), 1e-9);
        assertEquals(5.0, p.dense().wallMedianMs(), 1e-9); // 4, 4, 6, 8
        assertEquals(2.5, p.fast().wallMedianMs(), 1e-9); // 2, 2, 3, 4
        assertEquals(4, p.fast().repetitions());
    }

    @Test
    void pairingsTimedTogetherTakeTurnsRoundByRound() {
        InferenceTimer timer = new InferenceTimer(new TimingPolicy(1, 3), () -> now, () -> now);
        // one dense computation against two fast forms; the machine is twice as slow in the middle round
        InferenceForm denseA = form("denseA", 0, 10_000_000, 20_000_000, 10_000_000);
        InferenceForm fastA = form("csrA", 0, 5_000_000, 10_000_000, 5_000_000);
        InferenceForm denseB = form("denseB", 0, 10_000_000, 20_000_000, 10_000_000);
        InferenceForm fastB = form("cmpB", 0, 2_000_000, 4_000_000, 2_000_000);
        List<PairedTiming> t = timer.pairAll(List.of(new InferenceTimer.Pairing(denseA, fastA),
                new InferenceTimer.Pairing(denseB, fastB)), new float[10], 10);
        // warm-ups per pairing, then each round visits every pairing, the pair's order alternating by round
        assertEquals(List.of("denseA", "csrA", "denseB", "cmpB",
                "denseA", "csrA", "denseB", "cmpB",
                "csrA", "denseA", "cmpB", "denseB",
                "denseA", "csrA", "denseB", "cmpB"), calls);
        // the slow round reaches both pairings: one dense median for both, and every ratio unmoved by it
        assertEquals(t.get(0).dense().wallMedianMs(), t.get(1).dense().wallMedianMs(), 1e-9);
        assertEquals(2.0, t.get(0).speedupLow(), 1e-9);
        assertEquals(2.0, t.get(0).speedupHigh(), 1e-9);
        assertEquals(5.0, t.get(1).speedup(), 1e-9);
        assertEquals(3, t.get(1).dense().repetitions());
    }

    @Test
    void aShortFastFormRunsAsManyPassesPerRepetitionAsBalanceOneDensePass() {
        InferenceTimer timer = new InferenceTimer(new TimingPolicy(1, 3), () -> now, () -> now);
        // warm-ups: dense 12 ms, fast 4 ms, so each repetition runs 3 fast passes; then dense 12 ms a pass and fast
        // passes of 4, 4, 4 | 3, 6, 3 | 4, 5, 6 ms: 4, 4 and 5 ms a pass
        InferenceForm dense = form("dense", 12_000_000);
        InferenceForm fast = form("cmp", 4_000_000, 4_000_000, 4_000_000, 4_000_000, 3_000_000, 6_000_000, 3_000_000,
                4_000_000, 5_000_000, 6_000_000);
        PairedTiming p = timer.pair(dense, fast, new float[10], 10);
        assertEquals(List.of("dense", "cmp", "dense", "cmp", "cmp", "cmp", "cmp", "cmp", "cmp", "dense",
                "dense", "cmp", "cmp", "cmp"), calls);
        assertEquals(3, p.fast().passes());
        assertEquals(1, p.dense().passes());
        assertEquals(4.0, p.fast().wallMedianMs(), 1e-9);
        assertEquals(5.0, p.fast().wallMaxMs(), 1e-9);
        // ratios 3, 3, 2.4
        assertEquals(3.0, p.speedup(), 1e-9);
        assertEquals(2.4, p.speedupLow(), 1e-9);
    }

    @Test
    void pairedTimingGoesOnUntilTheMediansAreKnownWithinThePrecision() {
        // at least 3 pairs, at most 9, until every median's interval is within 5 % of it
        InferenceTimer timer = new InferenceTimer(new TimingPolicy(0, 3, 9, 0.05), () -> now, () -> now);
        // dense 100 ms with one 150 ms pass among the first three; fast steady at 50 ms
        InferenceForm dense = form("dense", 100_000_000, 150_000_000, 100_000_000, 100_000_000);
        InferenceForm fast = form("csr", 50_000_000);
        PairedTiming p = timer.pair(dense, fast, new float[10], 10);
        // 3 pairs: dense's interval is [min, max] = [100, 150], a half-width of 25 % of its median 100; from 7 pairs
        // the interval still runs from the smallest to the largest (k = 0 up to 8 values), so all 9 are run
        assertEquals(9, p.dense().repetitions());
        assertEquals(100.0, p.dense().wallMedianMs(), 1e-9);
        assertEquals(150.0, p.dense().wallMaxMs(), 1e-9);

        calls.clear();
        InferenceForm steadyDense = form("dense", 100_000_000);
        InferenceForm steadyFast = form("csr", 50_000_000);
        PairedTiming steady = timer.pair(steadyDense, steadyFast, new float[10], 10);
        // steady forms: known exactly after the fewest pairs
        assertEquals(3, steady.dense().repetitions());
        assertEquals(6, calls.size());
        assertEquals(2.0, steady.speedup(), 1e-9);
    }

    @Test
    void atTwoThreadsTheRoundsPastTheFewestMayGoOnTwiceAsLong() {
        // a dense form alternating 100 and 150 ms never gets within 5 %: at 1 thread 9 pairs, at 2 threads 3 + 2 x 6
        TimingPolicy policy = new TimingPolicy(0, 3, 9, 0.05);
        assertEquals(9, policy.mostPairs(1));
        assertEquals(15, policy.mostPairs(2));
        assertEquals(3, new TimingPolicy(0, 3).mostPairs(2)); // an exact count stays exact
        threads = 2;
        InferenceTimer timer = new InferenceTimer(policy, () -> now, () -> now);
        long[] alternating = new long[40];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2 == 0 ? 100_000_000 : 150_000_000;
        }
        PairedTiming p = timer.pair(form("dense", alternating), form("csr", 50_000_000), new float[10], 10);
        assertEquals(15, p.dense().repetitions());
        assertEquals(15, p.fast().repetitions());
        assertEquals(30, calls.size());
    }

    @Test
    void theMedianIntervalRankHoldsTheMedianWithAtLeast95Percent() {
        // the k-th smallest and largest of n: coverage 1 - 2 P(Binomial(n, 1/2) <= k)
        assertEquals(0, InferenceTimer.medianIntervalRank(3)); // even min-max holds it only 75 % of the time
        assertEquals(0, InferenceTimer.medianIntervalRank(7)); // 98.4 %
        assertEquals(0, InferenceTimer.medianIntervalRank(8)); // 99.2 %; k = 1 would be 93.0 %
        assertEquals(1, InferenceTimer.medianIntervalRank(9)); // 96.1 %
        assertEquals(3, InferenceTimer.medianIntervalRank(15)); // 96.5 %
        assertEquals(13, InferenceTimer.medianIntervalRank(41)); // 97.2 %
        assertEquals(0.25, InferenceTimer.relativeHalfWidth(new double[] {100, 150, 100}, 3), 1e-12);
    }

    @Test
    void repetitionsGivenAloneAreAnExactCount() {
        TimingPolicy fixed = TimingPolicy.STUDY.with(java.util.Optional.empty(), java.util.Optional.of(2));
        assertEquals(2, fixed.repetitions());
        assertEquals(2, fixed.maxRepetitions());
        TimingPolicy study = TimingPolicy.STUDY.with(java.util.Optional.empty(), java.util.Optional.empty());
        assertEquals(TimingPolicy.STUDY, study);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TimingPolicy(1, 7, 5, 0.02));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TimingPolicy(1, 7, 9, 1.5));
    }

    @Test
    void balancingPassesFollowTheRatioOfTheWarmUpsWithinLimits() {
        assertEquals(1, InferenceTimer.balancingPasses(500, 600));
        assertEquals(1, InferenceTimer.balancingPasses(500, 0));
        assertEquals(1, InferenceTimer.balancingPasses(0, 0));
        assertEquals(83, InferenceTimer.balancingPasses(500, 6));
        assertEquals(InferenceTimer.MAX_PASSES, InferenceTimer.balancingPasses(500, 0.01));
    }
}
