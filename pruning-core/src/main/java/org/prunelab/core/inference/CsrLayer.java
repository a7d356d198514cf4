package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A weight matrix in compressed sparse row form of its transpose: one row per output neuron listing the inputs it
 * has a nonzero weight from. Activations are kept feature-major, [features, TILE]: the TILE batch values of one
 * feature are contiguous, so every nonzero weight is one broadcast multiply-add over a whole tile of the batch, with
 * SIMD lanes across the batch.
 *
 * <p>The inputs are split into blocks whose slice of the activation tile fits the L1 cache (a tile row is 256 bytes;
 * 112 rows are 28 KiB). Without blocking, every nonzero pulled its 256 bytes from L2 and the kernel ran at L2
 * bandwidth, about 3x below its FMA bound on this project's machines. Each block adds a read-modify-write of the
 * output row, so a sparse layer gets fewer blocks: about one per 24 nonzeros of an output row (12, 24 and 48 measured alike
 * within noise; 48 was a little slower at 90 %).
 */
public final class CsrLayer {
    /** Batch rows handled per pass: 8 vectors of 8 lanes. */
    public static final int TILE = 64;
    /**
     * 8 lanes wherever the CPU has them, AVX-512 included: the 8-lane kernel keeps its accumulators in named locals.
     * With AVX-512's preferred 16 lanes the generic kernel's accumulator array was not kept in registers, and the CSR
     * form ran 7-25x slower than dense on such a machine.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;

    /** The inner loops; {@link #FASTEST} for this CPU, the other selectable so that tests check both. */
    enum Kernel {
        /**
         * 8 lanes (AVX2, and AVX-512 machines too): the tile in 8 accumulators held in named locals. Measured on an
         * AVX-512 Xeon of this project's kind, a 16-lane kernel (two sets of 4 accumulators taking alternate
         * nonzeros) was 7 % faster on a 1000x1000 layer at 50 %, 32 % slower at 90 %, 35 % faster at 99 %: not kept.
         * On an AMD EPYC with AVX-512 the same kernel ran the whole network alike (each in its own JVM, median of 15:
         * 489-526 against 470-497 ms at 50 %, 137-140 against 117-131 ms at 90 %, 25.2-25.9 against 23.8-25.1 at 99 %).
         */
        LANES8,
        /** Any width: an array of accumulators (slow where the JIT does not keep them in registers). */
        ANY
    }

    static final Kernel FASTEST = S.length() == 8 ? Kernel.LANES8 : Kernel.ANY;
    private static final int L1_ROWS = 112;
    private static final int NONZEROS_PER_BLOCK_ROW = 24;

    private final int in;
    private final int out;
    private final int blocks;
    /** rowStart[b * (out + 1) + j]: first nonzero of output j within input block b. */
    private final int[] rowStart;
    /** Offset of each nonzero's input row in the activation tile (input index * TILE). */
    private final int[] offsets;
    private final float[] vals;
    private final FloatVector[] accumulators = new FloatVector[TILE / S.length()];
    private final Kernel kernel;

    public CsrLayer(Layer layer) {
        this(layer, FASTEST);
    }

    CsrLayer(Layer layer, Kernel kernel) {
        this(layer, java.util.stream.IntStream.range(0, layer.in()).toArray(), kernel);
    }

    /**
     * @param inputs the layer's inputs held in the activation tile, in tile-row order: row u of the tile is input
     *               {@code inputs[u]}. Inputs left out must have no nonzero weight.
     */
    CsrLayer(Layer layer, int[] inputs, Kernel kernel) {
        this.kernel = kernel;
        this.in = inputs.length;
        this.out = layer.out();
        int nnz = (int) (layer.size() - layer.zeros());
        int perRow = nnz / out;
        this.blocks = Math.max(1, Math.min((in + L1_ROWS - 1) / L1_ROWS, perRow / NONZEROS_PER_BLOCK_ROW));
        int blockRows = (in + blocks - 1) / blocks;
        rowStart = new int[blocks * (out + 1)];
        offsets = new int[nnz];
        vals = new float[nnz];
        int p = 0;
        float[] w = layer.weights();
        for (int b = 0; b < blocks; b++) {
            int from = b * blockRows;
            int to = Math.min(in, from + blockRows);
            for (int j = 0; j < out; j++) {
                rowStart[b * (out + 1) + j] = p;
                for (int u = from; u < to; u++) {
                    float v = w[inputs[u] * out + j];
                    if (v != 0f) {
                        offsets[p] = u * TILE;
                        vals[p++] = v;
                    }
                }
            }
            rowStart[b * (out + 1) + out] = p;
        }
        if (p != nnz) {
            throw new IllegalArgumentException("inputs left out of the tile have nonzero weights");
        }
    }

    /** The inputs of {@code layer} that have a nonzero weight to some output, ascending. */
    static int[] usedInputs(Layer layer) {
        float[] w = layer.weights();
        return java.util.stream.IntStream.range(0, layer.in()).filter(i -> {
            for (int j = 0, at = i * layer.out(); j < layer.out(); j++) {
                if (w[at + j] != 0f) {
                    return true;
                }
            }
            return false;
        }).toArray();
    }

    /** Rows of the input tile: the inputs it reads. */
    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int nonZeros() {
        return vals.length;
    }

    /** Input blocks this layer is split into. */
    public int blocks() {
        return blocks;
    }

    /**
     * y[j, 0..TILE) = sum over nonzeros (i, w) of row j of w * x[i, 0..TILE), then ReLU if asked.
     * x is [in, TILE] and y is [out, TILE], both feature-major.
     */
    public void multiply(float[] x, float[] y, boolean relu) {
        for (int b = 0; b < blocks; b++) {
            boolean first = b == 0;
            boolean last = b == blocks - 1;
            switch (kernel) {
                case LANES8 -> block8(x, y, b * (out + 1), first, last && relu);
                case ANY -> blockAnyWidth(x, y, b * (out + 1), first, last && relu);
            }
        }
    }

    /**
     * AVX2 (8 lanes): the whole 64-wide tile in 8 accumulators, so each nonzero's offset and value are read once and
     * its weight broadcast once, for 8 loads and 8 FMAs.
     */
    private void block8(float[] x, float[] y, int rows, boolean first, boolean relu) {
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < out; j++) {
            int o = j * TILE;
            FloatVector a0 = first ? zero : FloatVector.fromArray(S, y, o);
            FloatVector a1 = first ? zero : FloatVector.fromArray(S, y, o + 8);
            FloatVector a2 = first ? zero : FloatVector.fromArray(S, y, o + 16);
            FloatVector a3 = first ? zero : FloatVector.fromArray(S, y, o + 24);
            FloatVector a4 = first ? zero : FloatVector.fromArray(S, y, o + 32);
            FloatVector a5 = first ? zero : FloatVector.fromArray(S, y, o + 40);
            FloatVector a6 = first ? zero : FloatVector.fromArray(S, y, o + 48);
            FloatVector a7 = first ? zero : FloatVector.fromArray(S, y, o + 56);
            for (int p = rowStart[rows + j], end = rowStart[rows + j + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S, vals[p]);
                int b = offsets[p];
                a0 = FloatVector.fromArray(S, x, b).fma(w, a0);
                a1 = FloatVector.fromArray(S, x, b + 8).fma(w, a1);
                a2 = FloatVector.fromArray(S, x, b + 16).fma(w, a2);
                a3 = FloatVector.fromArray(S, x, b + 24).fma(w, a3);
                a4 = FloatVector.fromArray(S, x, b + 32).fma(w, a4);
                a5 = FloatVector.fromArray(S, x, b + 40).fma(w, a5);
                a6 = FloatVector.fromArray(S, x, b + 48).fma(w, a6);
                a7 = FloatVector.fromArray(S, x, b + 56).fma(w, a7);
            }
            store(a0, y, o, relu);
            store(a1, y, o + 8, relu);
            store(a2, y, o + 16, relu);
            store(a3, y, o + 24, relu);
            store(a4, y, o + 32, relu);
            store(a5, y, o + 40, relu);
            store(a6, y, o + 48, relu);
            store(a7, y, o + 56, relu);
        }
    }

    /** Any SIMD width: one accumulator per vector of the tile. */
    private void blockAnyWidth(float[] x, float[] y, int rows, boolean first, boolean relu) {
        int lanes = S.length();
        int vectors = TILE / lanes;
        FloatVector[] acc = accumulators;
        for (int j = 0; j < out; j++) {
            int o = j * TILE;
            for (int v = 0; v < vectors; v++) {
                acc[v] = first ? FloatVector.zero(S) : FloatVector.fromArray(S, y, o + v * lanes);
            }
            for (int p = rowStart[rows + j], end = rowStart[rows + j + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S, vals[p]);
                int b = offsets[p];
                for (int v = 0; v < vectors; v++) {
                    acc[v] = FloatVector.fromArray(S, x, b + v * lanes).fma(w, acc[v]);
                }
            }
            for (int v = 0; v < vectors; v++) {
                store(acc[v], y, o + v * lanes, relu);
            }
        }
    }

    /** v into y from {@code at}, through ReLU if asked: the last step of every layer kernel of this package. */
    static void store(FloatVector v, float[] y, int at, boolean relu) {
        (relu ? v.lanewise(VectorOperators.MAX, 0f) : v).intoArray(y, at);
    }
}
