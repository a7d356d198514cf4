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
 * dense FLOPs, took 3.7x its FLOP share of the dense time). Layers with few outputs (those of compacted networks from
 * 80 % neuron pruning up, and the 10-way output layer) run on a Java kernel instead ({@link NarrowLayer}).
 */
public final class GemmForm extends FormShape {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int[] ins;
    private final int[] outs;
    /** Per layer: the Java kernel for a layer with few outputs, or null for OpenBLAS's gemm. */
    private final NarrowLayer[] narrow;
    private final MemorySegment[] weights;
    private final float[][] activations;
    private final MemorySegment[] activationSegments;

    private final int blasThreads;
    private final Blas blas;
    /**
     * Where 16 rows of logits at a time are turned class-major for {@link Softmax#columns}: with 16-lane kernels and
     * a narrow last layer, whose rows are one vector (16 floats) apart, {@link Transpose16}'s shuffles take 16 of them
     * at once, and the softmax then needs no reduction along a row (the same results bit for bit). The 97 % and 99 %
     * compacted networks of a 10-epoch MNIST model, alternating with the row-wise way in one process, AMD EPYC of
     * this project's kind: 2.5-3 % faster at one thread, 4-5 % at two. Null otherwise (row by row,
     * {@link Softmax#rows}).
     */
    private final float[] logitsTile;

    /**
     * {@code mlp} in batches of {@code batchSize}, each gemm a call of the OpenBLAS build {@code blas} on
     * {@code blasThreads} of its own threads.
     */
    public GemmForm(String name, Mlp mlp, int batchSize, int blasThreads, Blas blas) {
        this(name, mlp, batchSize, blasThreads, blas, SkinnyLayer.LANES);
    }

    /** As above, with Java kernels of {@code skinnyLanes} lanes (8 or 16; tests run both). */
    GemmForm(String name, Mlp mlp, int batchSize, int blasThreads, Blas blas, int skinnyLanes) {
        super(name, batchSize, blasThreads, mlp);
        this.blasThreads = blasThreads;
        this.blas = blas;
        int n = mlp.layers().size();
        ins = new int[n];
        outs = new int[n];
        weights = new MemorySegment[n];
        narrow = new NarrowLayer[n];
        activations = new float[n][];
        activationSegments = new MemorySegment[n];
        for (int k = 0; k < n; k++) {
            Layer l = mlp.layer(k);
            ins[k] = l.in();
            outs[k] = l.out();
            narrow[k] = NarrowLayer.of(l, skinnyLanes);
            if (narrow[k] != null) {
                activations[k] = narrow[k].outputs(batchSize);
            } else {
                weights[k] = MemorySegment.ofArray(l.weights().clone()); // row-major [in, out]
                activations[k] = new float[batchSize * l.out()];
            }
            activationSegments[k] = MemorySegment.ofArray(activations[k]);
        }
        NarrowLayer last = narrow[n - 1];
        logitsTile = skinnyLanes == 16 && S.length() == 16 && last != null && last.stride() == 16
                ? CsrLayer.tile(16, 16) : null;
    }

    /** Whether some layer of {@code mlp} goes through gemm (the others run on a {@link NarrowLayer}). */
    public static boolean usesGemm(Mlp mlp) {
        return mlp.layers().stream().anyMatch(l -> !NarrowLayer.fits(l, SkinnyLayer.LANES));
    }

    @Override
    public String way() {
        return blasThreads > 1 ? "blas-threads" : "single";
    }

    @Override
    public String blas() {
        // a network of Java kernels alone never calls it
        return java.util.Arrays.stream(narrow).anyMatch(java.util.Objects::isNull) ? blas.label() : "";
    }

    /** OpenBLAS at this form's thread count: a process-wide setting, so forms set it as they run. */
    @Override
    public void prepare() {
        blas.threads(blasThreads);
    }

    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        // the layer's input: the batch where it lies in x, then each layer's output (rows `stride` floats apart)
        float[] a = x;
        int aOffset = offset;
        int aStride = ins[0];
        int last = ins.length - 1;
        for (int k = 0; k <= last; k++) {
            if (narrow[k] != null) {
                narrow[k].multiply(a, aOffset, aStride, rows, activations[k], k < last);
                aStride = narrow[k].stride();
            } else {
                // Z [rows, out] = A [rows, in] W [in, out], all row-major
                MemorySegment in = MemorySegment.ofArray(a).asSlice(4L * aOffset,
                        4L * ((long) (rows - 1) * aStride + ins[k]));
                blas.sgemm(false, false, rows, outs[k], ins[k], in, aStride, weights[k], outs[k], 0f,
                        activationSegments[k], outs[k]);
                if (k < last) {
                    relu(activations[k], rows * outs[k]);
                }
                aStride = outs[k];
            }
            a = activations[k];
            aOffset = narrow[k] != null ? narrow[k].offset() : 0; // their rows start on a cache line
        }
        int classes = classes();
        int done = 0;
        if (logitsTile != null) {
            for (; done + 16 <= rows; done += 16) {
                Transpose16.block(a, aOffset + done * 16, 16, logitsTile, CsrLayer.BASE, 16);
                Softmax.columns(logitsTile, CsrLayer.BASE, 16, 16, classes, out, outOffset + done * classes);
            }
        }
        for (int r = done; r < rows; r++) {
            System.arraycopy(a, aOffset + r * aStride, out, outOffset + r * classes, classes);
        }
        InferenceForm.softmax(out, outOffset + done * classes, rows - done, classes);
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
