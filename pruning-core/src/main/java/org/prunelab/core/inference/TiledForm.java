package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.prunelab.core.training.Team;

/**
 * A form run by several threads at once over a set: each thread has its own instance (forms keep buffers) and takes
 * the set's next batch whenever it finishes one. This is how a form that computes on one thread (CSR, and the Java
 * parts of the others) uses more cores, and the alternative to OpenBLAS's own threads for the dense pass: the threads
 * never meet inside a batch, so there is no synchronisation per layer.
 *
 * <p>Batches are claimed as the threads go rather than split in fixed halves: on a machine whose other processes
 * take a core now and then, a thread held up for a while leaves its remaining batches to the other instead of the
 * whole pass waiting for it.
 *
 * <p>The threads are the process's {@link Team} of that size, whose helpers spin a while after a pass before they
 * park: back-to-back passes of a few milliseconds start and end without waking a parked thread. Against a cached
 * pool's task hand-off (a parked worker woken per pass), both timed in pairs against dense as the evaluator does,
 * one process each time, AMD EPYC of this project's kind, 2 threads, speed-ups pool -> team in two processes: the
 * 99 % CSR network 25.6x -> 26.6x and 27.6x -> 29.1x, the 99 % compacted network 91.7x -> 96.6x and 101.1x ->
 * 108.2x, the 97 % compacted 66.5x -> 69.4x and 70.4x -> 71.9x; the 90 % CSR network (28 ms a pass) 1-2 %.
 */
public final class TiledForm implements InferenceForm {
    private final List<InferenceForm> parts = new ArrayList<>();
    private final Team team;

    /** {@code threads} instances from {@code make}; each should compute on one thread. */
    public TiledForm(Supplier<InferenceForm> make, int threads) {
        this(make.get(), make, threads);
    }

    /** {@code first} and {@code threads - 1} more instances from {@code others} (which may share its read-only data). */
    public TiledForm(InferenceForm first, Supplier<? extends InferenceForm> others, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        parts.add(first);
        for (int t = 1; t < threads; t++) {
            parts.add(others.get());
        }
        team = Team.shared(threads);
    }

    @Override
    public String name() {
        return parts.get(0).name();
    }

    @Override
    public String way() {
        return "tiles";
    }

    @Override
    public String blas() {
        return parts.get(0).blas();
    }

    @Override
    public int batchSize() {
        return parts.get(0).batchSize();
    }

    @Override
    public int threads() {
        return parts.size() * parts.get(0).threads();
    }

    @Override
    public int inputs() {
        return parts.get(0).inputs();
    }

    @Override
    public int classes() {
        return parts.get(0).classes();
    }

    /** One batch: one thread's work, nothing to share. */
    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        parts.get(0).forward(x, offset, rows, out, outOffset);
    }

    @Override
    public void prepare() {
        parts.get(0).prepare();
    }

    @Override
    public void forwardAll(float[] x, int count, float[] out) {
        int batch = batchSize();
        int batches = (count + batch - 1) / batch;
        // each part computes on one thread: a form run before may have left OpenBLAS on more (measured: batch-256
        // dense tiles after a pass on OpenBLAS's 2 threads ran 4 threads on 2 cores, 670 ms against 141)
        prepare();
        AtomicInteger next = new AtomicInteger();
        // tiled forms of the same thread count take turns on the shared team (Team.run is synchronized)
        team.run(part -> run(parts.get(part), next, batches, x, count, out));
    }

    /** Runs {@code form} over the batches it claims from {@code next} until none is left. */
    private void run(InferenceForm form, AtomicInteger next, int batches, float[] x, int count, float[] out) {
        int batch = batchSize();
        for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
            int from = b * batch;
            int rows = Math.min(batch, count - from);
            form.forward(x, from * inputs(), rows, out, from * classes());
        }
    }
}
