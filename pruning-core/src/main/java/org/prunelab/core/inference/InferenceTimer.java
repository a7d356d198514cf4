package org.prunelab.core.inference;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Times a form over a whole set: warm-up passes (JIT, caches), then repeated passes whose wall and CPU times
 * give median, min and max. CPU time is this thread's; forms here compute on the calling thread or, for
 * OpenBLAS, with the native thread count stated in the result.
 */
public final class InferenceTimer {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int warmups;
    private final int repetitions;

    public InferenceTimer(TimingPolicy policy) {
        this.warmups = policy.warmups();
        this.repetitions = policy.repetitions();
    }

    public Timing time(InferenceForm form, float[] x, int count) {
        float[] out = new float[count * form.classes()];
        for (int w = 0; w < warmups; w++) {
            form.forwardAll(x, count, out);
        }
        double[] wall = new double[repetitions];
        double[] cpu = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            form.forwardAll(x, count, out);
            wall[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(form.name(), form.batchSize(), form.threads(), repetitions, median(wall), wall[0],
                wall[repetitions - 1], median(cpu), cpu[0], cpu[repetitions - 1]);
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
