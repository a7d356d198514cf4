package org.prunelab.core.inference;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times forms over a whole set: warm-up passes (JIT, caches), then repeated passes whose wall and CPU times give
 * median, min and max. CPU time is this thread's; forms here compute on the calling thread or, for OpenBLAS, with the
 * native thread count stated in the result.
 *
 * <p>A speed-up is timed in pairs ({@link #pair}): the two forms' repetitions alternate, so that drift on the machine
 * (another process, a clock change, a warm cache) lands on both sides of each pair's ratio instead of on one form's
 * whole block, and every pair gives one ratio.
 */
public final class InferenceTimer {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The most passes of a fast form one repetition runs ({@link #balancingPasses}). */
    static final int MAX_PASSES = 200;

    private final TimingPolicy policy;
    private final LongSupplier wallClock;
    private final LongSupplier cpuClock;

    public InferenceTimer(TimingPolicy policy) {
        this(policy, System::nanoTime, THREADS::getCurrentThreadCpuTime);
    }

    /** With given clocks (nanoseconds), so that the protocol can be tested on a clock the test drives. */
    InferenceTimer(TimingPolicy policy, LongSupplier wallClock, LongSupplier cpuClock) {
        this.policy = policy;
        this.wallClock = wallClock;
        this.cpuClock = cpuClock;
    }

    /** A fast form and the dense baseline it is timed against. */
    public record Pairing(InferenceForm dense, InferenceForm fast) {
    }

    /**
     * Times {@code slow} (the dense baseline) and {@code fast} in pairs: slow-fast, then fast-slow, and so on. The
     * result's thread count is the fast form's.
     */
    public PairedTiming pair(InferenceForm slow, InferenceForm fast, float[] x, int count) {
        return pairAll(List.of(new Pairing(slow, fast)), x, count).get(0);
    }

    /**
     * Times several pairings together, round by round: each round runs every pairing's pair once (dense-fast in even
     * rounds, fast-dense in odd ones), for the policy's fewest rounds and then until every form's median is known
     * within its precision ({@link TimingPolicy}), at most its most rounds at the forms' thread count
     * ({@link TimingPolicy#mostPairs}). A pairing's repetitions are then spread
     * over the whole block instead of a few seconds of it, so that the machine's slow drift (minutes of a busier
     * host) reaches every pairing alike: the dense passes of one computation timed against different fast forms give
     * medians from one spell of the machine. A short fast form runs {@link #balancingPasses} passes where dense runs
     * one.
     *
     * <p>Cutting each pass into parts visited seconds apart was tried and dropped: every part pays what a pass pays
     * to start after another form (caches, OpenBLAS's threads waking), which made 2-thread dense passes 25-30 %
     * slower, and the medians spread no less.
     */
    public List<PairedTiming> pairAll(List<Pairing> pairings, float[] x, int count) {
        int n = pairings.size();
        float[][] outDense = new float[n][];
        float[][] outFast = new float[n][];
        int[] passes = new int[n];
        for (int i = 0; i < n; i++) {
            Pairing p = pairings.get(i);
            outDense[i] = new float[count * p.dense().classes()];
            outFast[i] = new float[count * p.fast().classes()];
            double denseMs = 0;
            double fastMs = 0;
            for (int w = 0; w < policy.warmups(); w++) {
                denseMs = timeOnce(p.dense(), x, count, outDense[i]);
                fastMs = timeOnce(p.fast(), x, count, outFast[i]);
            }
            passes[i] = balancingPasses(denseMs, fastMs);
        }
        int most = policy.mostPairs(pairings.stream().mapToInt(p -> Math.max(p.dense().threads(), p.fast().threads()))
                .max().orElse(1));
        double[][][] s = new double[n][2][most];
        double[][][] f = new double[n][2][most];
        double[][] ratios = new double[n][most];
        int done = 0;
        while (done < most && (done < policy.repetitions() || !precise(s, f, done))) {
            int r = done;
            for (int i = 0; i < n; i++) {
                Pairing p = pairings.get(i);
                // alternating the order cancels what the first of two passes pays or gains from the second
                if (r % 2 == 0) {
                    run(p.dense(), x, count, outDense[i], s[i], r, 1);
                    run(p.fast(), x, count, outFast[i], f[i], r, passes[i]);
                } else {
                    run(p.fast(), x, count, outFast[i], f[i], r, passes[i]);
                    run(p.dense(), x, count, outDense[i], s[i], r, 1);
                }
                ratios[i][r] = s[i][0][r] / f[i][0][r];
            }
            done++;
        }
        List<PairedTiming> out = new ArrayList<>();
        int k = medianIntervalRank(done);
        for (int i = 0; i < n; i++) {
            Pairing p = pairings.get(i);
            double[] q = Arrays.copyOf(ratios[i], done);
            Arrays.sort(q);
            out.add(new PairedTiming(p.fast().threads(), timing(p.dense(), s[i], 1, done),
                    timing(p.fast(), f[i], passes[i], done), median(q), q[k], q[done - 1 - k]));
        }
        return out;
    }

    /**
     * Whether every pairing's dense and fast median wall times over the first {@code n} repetitions are known within
     * the policy's precision: each one's interval ({@link #medianIntervalRank}) over its median.
     */
    private boolean precise(double[][][] s, double[][][] f, int n) {
        if (policy.precision() <= 0) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (relativeHalfWidth(s[i][0], n) > policy.precision()
                    || relativeHalfWidth(f[i][0], n) > policy.precision()) {
                return false;
            }
        }
        return true;
    }

    /** Half the width of the median's interval over the first {@code n} values, relative to their median. */
    static double relativeHalfWidth(double[] values, int n) {
        double[] q = Arrays.copyOf(values, n);
        Arrays.sort(q);
        int k = medianIntervalRank(n);
        return (q[n - 1 - k] - q[k]) / 2 / median(q);
    }

    /**
     * The rank k (0-based) such that the k-th smallest and k-th largest of n values hold their distribution's median
     * with probability at least 95 %, whatever the distribution: the largest k with 1 - 2 P(B <= k) >= 0.95 for
     * B ~ Binomial(n, 1/2); 0 (smallest and largest) where even that falls short. For 7 values 0 (98.4 %), for 41
     * values 13 (97.2 %).
     */
    static int medianIntervalRank(int n) {
        double p = Math.pow(0.5, n); // P(B = 0)
        double cumulative = p;
        int k = -1;
        for (int j = 0; j < n / 2; j++) {
            if (1 - 2 * cumulative < 0.95) {
                break;
            }
            k = j;
            p = p * (n - j) / (j + 1);
            cumulative += p;
        }
        return Math.max(0, k);
    }

    /**
     * How many passes of a fast form one repetition runs so that it lasts about as long as the dense pass it is
     * paired with (from their last warm-up passes; 1 without warm-ups): a 6 ms pass timed once takes a few ms of the
     * host's noise as a double-digit share, while the same noise spread over a pair's two equal halves moves both
     * alike. Up to {@link #MAX_PASSES}.
     */
    static int balancingPasses(double denseMs, double fastMs) {
        if (!(denseMs > 0 && fastMs > 0)) {
            return 1;
        }
        return (int) Math.max(1, Math.min(MAX_PASSES, Math.round(denseMs / fastMs)));
    }

    /** Rounds of a search's first stage, over a sample of the set. */
    static final int SEARCH_ROUNDS = 3;
    /**
     * Rounds of a search's final stage, over the whole set. With 5, the evaluator of one default run chose OpenBLAS's
     * own 2 threads at batch 2000 for the full network, whose passes then took 157-166 ms through the run's 2-thread
     * block, where batch tiles take 134-149 (6 searches in a process of their own, on the same model minutes later,
     * all chose tiles); the run's 2-thread speed-ups came out 5-19 % above the benchmark's.
     */
    static final int FINAL_ROUNDS = 9;
    /** Candidates within this share of the first stage's fastest go on to the final stage... */
    static final double FINALIST_MARGIN = 0.10;
    /** ...at most this many of them. */
    static final int FINALISTS = 4;
    /** The least time one measurement of the final stage lasts: short forms run several passes per measurement. */
    static final double FINAL_MEASUREMENT_MS = 50;

    /**
     * The candidate whose form gives the fastest pass over {@code x}: first every candidate, warmed up once, in
     * {@link #SEARCH_ROUNDS} rounds over the first {@code images} (each round times every candidate's pass once, so
     * that a slow spell of the machine reaches all of them instead of the one timed in it); then the few within
     * {@link #FINALIST_MARGIN} of the fastest in {@link #FINAL_ROUNDS} rounds over all {@code count} images, each
     * measurement at least {@link #FINAL_MEASUREMENT_MS} long; the fastest median wins. The first stage alone, over
     * 4,000-8,000 images, chose differently in the evaluator and in bin/benchmark on the same model: the evaluator's
     * dense baseline at 2 threads ran at batch 256 in 148-155 ms where the benchmark's, at batch 1,000, ran in
     * 134-136 ms, and a 4 ms compacted network was timed in passes of a few hundred microseconds. Used to choose a
     * batch size, a way to use the threads or an OpenBLAS build.
     */
    public static <T> T fastest(List<T> candidates, java.util.function.Function<T, InferenceForm> make, float[] x,
                                int images, int count) {
        return search(candidates, make, x, images, count).best();
    }

    /**
     * What a search ({@link #fastest}) found: the fastest candidate, and the median ms of a pass over the whole set
     * of each candidate timed in the final stage, fastest first (empty where none came within
     * {@link #FINALIST_MARGIN} of the fastest: the first stage decided alone), so that a log can show how close the
     * choice was.
     */
    public record Search<T>(T best, java.util.Map<T, Double> finalists) {
    }

    /** {@link #fastest}, with the final stage's medians. */
    public static <T> Search<T> search(List<T> candidates, java.util.function.Function<T, InferenceForm> make,
                                       float[] x, int images, int count) {
        return search(candidates, make, x, images, count, System::nanoTime);
    }

    /** {@link #search(List, java.util.function.Function, float[], int, int)} on a given wall clock. */
    static <T> Search<T> search(List<T> candidates, java.util.function.Function<T, InferenceForm> make, float[] x,
                                int images, int count, LongSupplier wallClock) {
        InferenceTimer quick = new InferenceTimer(new TimingPolicy(1, SEARCH_ROUNDS), wallClock, () -> 0L);
        List<InferenceForm> forms = candidates.stream().map(make).toList();
        int n = forms.size();
        float[][] out = new float[n][];
        for (int c = 0; c < n; c++) {
            out[c] = new float[count * forms.get(c).classes()];
            forms.get(c).forwardAll(x, images, out[c]);
        }
        int[] passes = new int[n];
        java.util.Arrays.fill(passes, 1);
        double[] first = quick.roundMedians(forms, java.util.stream.IntStream.range(0, n).toArray(), x, images, out,
                passes, SEARCH_ROUNDS);
        int best = argMin(first);
        int[] finalists = java.util.stream.IntStream.range(0, n).boxed()
                .filter(c -> first[c] <= first[best] * (1 + FINALIST_MARGIN))
                .sorted(java.util.Comparator.comparingDouble(c -> first[c])).limit(FINALISTS)
                .mapToInt(Integer::intValue).toArray();
        if (finalists.length == 1) {
            return new Search<>(candidates.get(best), java.util.Map.of());
        }
        for (int c : finalists) {
            double fullMs = first[c] * count / images;
            passes[c] = (int) Math.max(1, Math.min(MAX_PASSES, Math.ceil(FINAL_MEASUREMENT_MS / fullMs)));
        }
        // the others' medians are infinite
        double[] last = quick.roundMedians(forms, finalists, x, count, out, passes, FINAL_ROUNDS);
        java.util.Map<T, Double> medians = new java.util.LinkedHashMap<>();
        java.util.Arrays.stream(finalists).boxed().sorted(java.util.Comparator.comparingDouble(c -> last[c]))
                .forEach(c -> medians.put(candidates.get(c), last[c]));
        return new Search<>(candidates.get(argMin(last)), medians);
    }

    /**
     * Each chosen form's median wall time per pass over {@code rounds} rounds, each timing every chosen form once,
     * in the reverse order every other round (so that no form always follows the same one); infinite for the others.
     */
    private double[] roundMedians(List<InferenceForm> forms, int[] chosen, float[] x, int images, float[][] out,
                                  int[] passes, int rounds) {
        double[][][] t = new double[forms.size()][2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < chosen.length; k++) {
                int c = chosen[r % 2 == 0 ? k : chosen.length - 1 - k];
                run(forms.get(c), x, images, out[c], t[c], r, passes[c]);
            }
        }
        double[] medians = new double[forms.size()];
        java.util.Arrays.fill(medians, Double.POSITIVE_INFINITY);
        for (int c : chosen) {
            medians[c] = timing(forms.get(c), t[c], passes[c], rounds).wallMedianMs();
        }
        return medians;
    }

    private static int argMin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    public Timing time(InferenceForm form, float[] x, int count) {
        float[] out = new float[count * form.classes()];
        for (int w = 0; w < policy.warmups(); w++) {
            form.forwardAll(x, count, out);
        }
        double[][] t = new double[2][policy.repetitions()];
        for (int r = 0; r < policy.repetitions(); r++) {
            run(form, x, count, out, t, r, 1);
        }
        return timing(form, t, 1);
    }

    /** {@code passes} passes timed as one: wall into t[0][r], CPU into t[1][r], in ms per pass. */
    private void run(InferenceForm form, float[] x, int count, float[] out, double[][] t, int r, int passes) {
        long c0 = cpuClock.getAsLong();
        long t0 = wallClock.getAsLong();
        for (int k = 0; k < passes; k++) {
            form.forwardAll(x, count, out);
        }
        t[0][r] = (wallClock.getAsLong() - t0) / 1e6 / passes;
        t[1][r] = (cpuClock.getAsLong() - c0) / 1e6 / passes;
    }

    /** Wall time of one pass, in ms. */
    private double timeOnce(InferenceForm form, float[] x, int count, float[] out) {
        double[][] t = new double[2][1];
        run(form, x, count, out, t, 0, 1);
        return t[0][0];
    }

    private Timing timing(InferenceForm form, double[][] t, int passes) {
        return timing(form, t, passes, policy.repetitions());
    }

    /** The timing of the first {@code n} repetitions in t. */
    private static Timing timing(InferenceForm form, double[][] t, int passes, int n) {
        double[] wall = Arrays.copyOf(t[0], n);
        double[] cpu = Arrays.copyOf(t[1], n);
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(form.name(), form.batchSize(), form.threads(), n, median(wall), wall[0],
                wall[n - 1], median(cpu), cpu[0], cpu[n - 1], form.way(), form.blas(), passes);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Largest absolute difference between two output sets. */
    public static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
