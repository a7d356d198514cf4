package org.prunelab.core.inference;

/**
 * A way to run a network forward. Implementations keep their buffers between calls, so a form is used by one
 * thread at a time.
 */
public interface InferenceForm {
    /** "dense", "csr" or "compact". */
    String name();

    /** Rows per forward call that this form was built for. */
    int batchSize();

    /** Threads the form computes with. */
    int threads();

    /**
     * How it uses its threads: "single" (one), "tiles" (batches shared out, {@link TiledForm}) or "blas-threads"
     * (OpenBLAS's own threads inside each gemm).
     */
    default String way() {
        return "single";
    }

    /** The OpenBLAS build its gemm layers call ({@code Blas#label()}), or "" for a form that calls none. */
    default String blas() {
        return "";
    }

    /**
     * Runs {@code rows} images (row-major, {@code rows * inputs} floats from {@code offset}) and writes the softmax
     * outputs, row-major [rows, classes], into {@code out} from {@code outOffset}. rows <= batchSize().
     */
    void forward(float[] x, int offset, int rows, float[] out, int outOffset);

    int inputs();

    int classes();

    /**
     * Sets what this form needs of the process before its batches run, where that is process-wide and another form
     * may have changed it (OpenBLAS's thread count). Called once per set, before {@link #forward} runs its batches,
     * on any thread.
     */
    default void prepare() {
    }

    /** Runs a whole set, batch by batch, and returns the softmax outputs [count, classes]. */
    default float[] forwardAll(float[] x, int count) {
        float[] out = new float[count * classes()];
        forwardAll(x, count, out);
        return out;
    }

    default void forwardAll(float[] x, int count, float[] out) {
        prepare();
        for (int from = 0; from < count; from += batchSize()) {
            int rows = Math.min(batchSize(), count - from);
            forward(x, from * inputs(), rows, out, from * classes());
        }
    }

    /** Row-wise softmax of logits [rows, classes] in place, max-shifted for stability ({@link Softmax}). */
    static void softmax(float[] logits, int offset, int rows, int classes) {
        Softmax.rows(logits, offset, rows, classes);
    }
}
