package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A form run by several threads at once over a set: each thread has its own instance (forms keep buffers) and a
 * contiguous share of the set's batches. This is how a form that computes on one thread (CSR, and the Java parts of
 * the others) uses more cores, and the alternative to OpenBLAS's own threads for the dense pass: the threads never
 * meet inside a batch, so there is no synchronisation per layer.
 */
public final class TiledForm implements InferenceForm {
    /** Helper threads shared by every tiled form; idle ones end after a minute. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tiled-form");
        t.setDaemon(true);
        return t;
    });

    private final List<InferenceForm> parts = new ArrayList<>();

    /** {@code threads} instances from {@code make}; each should compute on one thread. */
    public TiledForm(Supplier<InferenceForm> make, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        for (int t = 0; t < threads; t++) {
            parts.add(make.get());
        }
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
    public void forwardAll(float[] x, int count, float[] out) {
        int batch = batchSize();
        int batches = (count + batch - 1) / batch;
        int n = parts.size();
        List<Future<?>> helpers = new ArrayList<>();
        for (int p = 1; p < n; p++) {
            int part = p;
            helpers.add(HELPERS.submit(() -> run(part, batches * part / n, batches * (part + 1) / n, x, count, out)));
        }
        run(0, 0, batches / n, x, count, out);
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void run(int part, int fromBatch, int toBatch, float[] x, int count, float[] out) {
        InferenceForm form = parts.get(part);
        int batch = batchSize();
        for (int b = fromBatch; b < toBatch; b++) {
            int from = b * batch;
            int rows = Math.min(batch, count - from);
            form.forward(x, from * inputs(), rows, out, from * classes());
        }
    }
}
