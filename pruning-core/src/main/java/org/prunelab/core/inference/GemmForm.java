package org.prunelab.core.inference;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.training.Blas;

/**
 * Dense inference with one OpenBLAS sgemm per layer called directly ({@link Blas}) on the Java arrays: the batch is
 * read where it lies in the test set (no copy into native memory), ReLU runs in Java over the layer's output, and
 * nothing goes through ND4J's per-op dispatch. For the full network this is as fast as {@link DenseNetwork}; for
 * the small layers of a compacted network the per-call costs dominated there (a 97 % compacted network, 1 % of the
 * dense FLOPs, took 3.7x its FLOP share of the dense time).
 */
public final class GemmForm extends FormShape {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int[] ins;
    private final int[] outs;
    private final MemorySegment[] weights;
    private final float[][] activations;
    private final MemorySegment[] activationSegments;

    private final int blasThreads;

    /** {@code mlp} in batches of {@code batchSize}, each gemm on {@code blasThreads} of OpenBLAS's own threads. */
    public GemmForm(String name, Mlp mlp, int batchSize, int blasThreads) {
        super(name, batchSize, blasThreads, mlp);
        this.blasThreads = blasThreads;
        if (Blas.unavailable() != null) {
            throw new IllegalStateException("OpenBLAS cannot be called directly here: " + Blas.unavailable());
        }
        int n = mlp.layers().size();
        ins = new int[n];
        outs = new int[n];
        weights = new MemorySegment[n];
        activations = new float[n][];
        activationSegments = new MemorySegment[n];
        for (int k = 0; k < n; k++) {
            Layer l = mlp.layer(k);
            ins[k] = l.in();
            outs[k] = l.out();
            weights[k] = MemorySegment.ofArray(l.weights().clone()); // row-major [in, out]
            activations[k] = new float[batchSize * l.out()];
            activationSegments[k] = MemorySegment.ofArray(activations[k]);
        }
    }

    @Override
    public String way() {
        return blasThreads > 1 ? "blas-threads" : "single";
    }

    /** The whole set with OpenBLAS at this form's thread count (a process-wide setting: forms set it as they run). */
    @Override
    public void forwardAll(float[] x, int count, float[] out) {
        Blas.threads(blasThreads);
        super.forwardAll(x, count, out);
    }

    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        MemorySegment a = MemorySegment.ofArray(x).asSlice(4L * offset, 4L * rows * ins[0]);
        int last = ins.length - 1;
        for (int k = 0; k <= last; k++) {
            // Z [rows, out] = A [rows, in] W [in, out], all row-major
            Blas.sgemm(false, false, rows, outs[k], ins[k], a, ins[k], weights[k], outs[k], 0f,
                    activationSegments[k], outs[k]);
            if (k < last) {
                relu(activations[k], rows * outs[k]);
            }
            a = activationSegments[k];
        }
        int classes = classes();
        System.arraycopy(activations[last], 0, out, outOffset, rows * classes);
        InferenceForm.softmax(out, outOffset, rows, classes);
    }

    private static void relu(float[] z, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, z, i).lanewise(VectorOperators.MAX, 0f).intoArray(z, i);
        }
        for (; i < n; i++) {
            z[i] = Math.max(z[i], 0f);
        }
    }
}
