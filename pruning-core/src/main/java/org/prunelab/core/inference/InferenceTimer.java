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

    private final int warmups;
    private final int repetitions;
    private final LongSupplier wallClock;
    private final LongSupplier cpuClock;

    public InferenceTimer(TimingPolicy policy) {
        this(policy, System::nanoTime, THREADS::getCurrentThreadCpuTime);
    }

    /** With given clocks (nanoseconds), so that the protocol can be tested on a clock the test drives. */
    InferenceTimer(TimingPolicy policy, LongSupplier wallClock, LongSupplier cpuClock) {
        this.warmups = policy.warmups();
        this.repetitions = policy.repetitions();
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
     * rounds, fast-dense in odd ones). A pairing's repetitions are then spread over the whole block instead of a few
     * seconds of it, so that the machine's slow drift (minutes of a busier host) reaches every pairing alike: the
     * dense passes of one computation timed against different fast forms give medians from one spell of the machine.
     */
    public List<PairedTiming> pairAll(List<Pairing> pairings, float[] x, int count) {
        int n = pairings.size();
        float[][] outDense = new float[n][];
        float[][] outFast = new float[n][];
        for (int i = 0; i < n; i++) {
            Pairing p = pairings.get(i);
            outDense[i] = new float[count * p.dense().classes()];
            outFast[i] = new float[count * p.fast().classes()];
            for (int w = 0; w < warmups; w++) {
                p.dense().forwardAll(x, count, outDense[i]);
                p.fast().forwardAll(x, count, outFast[i]);
            }
        }
        double[][][] s = new double[n][2][repetitions];
        double[][][] f = new double[n][2][repetitions];
        double[][] ratios = new double[n][repetitions];
        for (int r = 0; r < repetitions; r++) {
            for (int i = 0; i < n; i++) {
                Pairing p = pairings.get(i);
                // alternating the order cancels what the first of two passes pays or gains from the second
                if (r % 2 == 0) {
                    run(p.dense(), x, count, outDense[i], s[i], r);
                    run(p.fast(), x, count, outFast[i], f[i], r);
                } else {
                    run(p.fast(), x, count, outFast[i], f[i], r);
                    run(p.dense(), x, count, outDense[i], s[i], r);
                }
                ratios[i][r] = s[i][0][r] / f[i][0][r];
            }
        }
        List<PairedTiming> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pairing p = pairings.get(i);
            Arrays.sort(ratios[i]);
            out.add(new PairedTiming(p.fast().threads(), timing(p.dense(), s[i]), timing(p.fast(), f[i]),
                    median(ratios[i]), ratios[i][0], ratios[i][repetitions - 1]));
        }
        return out;
    }

    /**
     * The candidate whose form gives the fastest pass over the first {@code images} of {@code x}: one warm-up and
     * the median of three timed passes each (one pass let a single slow moment of the machine decide). Used to choose
     * a batch size, a way to use the threads or an OpenBLAS build, where candidates close enough for noise to swap
     * them are close in speed too.
     */
    public static <T> T fastest(java.util.List<T> candidates, java.util.function.Function<T, InferenceForm> make,
                                float[] x, int images) {
        InferenceTimer quick = new InferenceTimer(new TimingPolicy(1, 3));
        T best = candidates.get(0);
        double bestMs = Double.MAX_VALUE;
        for (T c : candidates) {
            double ms = quick.time(make.apply(c), x, images).wallMedianMs();
            if (ms < bestMs) {
                bestMs = ms;
                best = c;
            }
        }
        return best;
    }

    public Timing time(InferenceForm form, float[] x, int count) {
        float[] out = new float[count * form.classes()];
        for (int w = 0; w < warmups; w++) {
            form.forwardAll(x, count, out);
        }
        double[][] t = new double[2][repetitions];
        for (int r = 0; r < repetitions; r++) {
            run(form, x, count, out, t, r);
        }
        return timing(form, t);
    }

    /** One timed pass: wall into t[0][r], CPU into t[1][r], in ms. */
    private void run(InferenceForm form, float[] x, int count, float[] out, double[][] t, int r) {
        long c0 = cpuClock.getAsLong();
        long t0 = wallClock.getAsLong();
        form.forwardAll(x, count, out);
        t[0][r] = (wallClock.getAsLong() - t0) / 1e6;
        t[1][r] = (cpuClock.getAsLong() - c0) / 1e6;
    }

    private Timing timing(InferenceForm form, double[][] t) {
        double[] wall = t[0].clone();
        double[] cpu = t[1].clone();
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(form.name(), form.batchSize(), form.threads(), repetitions, median(wall), wall[0],
                wall[repetitions - 1], median(cpu), cpu[0], cpu[repetitions - 1], form.way(),
                form.blas());
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
