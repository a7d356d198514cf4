package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A weight matrix in compressed sparse row form of its transpose: one row per output neuron listing the
 * inputs it has a nonzero weight from. Activations are kept feature-major, [features, TILE]: the TILE batch
 * values of one feature are contiguous, so every nonzero weight is one broadcast multiply-add over a whole
 * tile of the batch, with SIMD lanes across the batch.
 */
public final class CsrLayer {
    /** Batch rows handled per pass; a multiple of every SIMD width the JDK offers. */
    public static final int TILE = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int in;
    private final int out;
    private final int[] rowStart; // out + 1 entries
    private final int[] cols;     // input index of each nonzero
    private final float[] vals;

    public CsrLayer(Layer layer) {
        this.in = layer.in();
        this.out = layer.out();
        int nnz = (int) (layer.size() - layer.zeros());
        rowStart = new int[out + 1];
        cols = new int[nnz];
        vals = new float[nnz];
        int p = 0;
        for (int j = 0; j < out; j++) {
            rowStart[j] = p;
            for (int i = 0; i < in; i++) {
                float w = layer.weights()[i * out + j];
                if (w != 0f) {
                    cols[p] = i;
                    vals[p++] = w;
                }
            }
        }
        rowStart[out] = p;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int nonZeros() {
        return vals.length;
    }

    /**
     * y[j, 0..TILE) = sum over nonzeros (i, w) of row j of w * x[i, 0..TILE), then ReLU if asked.
     * x is [in, TILE] and y is [out, TILE], both feature-major.
     */
    public void multiply(float[] x, float[] y, boolean relu) {
        int lanes = S.length();
        FloatVector zero = FloatVector.zero(S);
        for (int j = 0; j < out; j++) {
            int yBase = j * TILE;
            for (int t = 0; t < TILE; t += 4 * lanes) {
                FloatVector a0 = zero;
                FloatVector a1 = zero;
                FloatVector a2 = zero;
                FloatVector a3 = zero;
                for (int p = rowStart[j], end = rowStart[j + 1]; p < end; p++) {
                    FloatVector w = FloatVector.broadcast(S, vals[p]);
                    int xBase = cols[p] * TILE + t;
                    a0 = FloatVector.fromArray(S, x, xBase).fma(w, a0);
                    a1 = FloatVector.fromArray(S, x, xBase + lanes).fma(w, a1);
                    a2 = FloatVector.fromArray(S, x, xBase + 2 * lanes).fma(w, a2);
                    a3 = FloatVector.fromArray(S, x, xBase + 3 * lanes).fma(w, a3);
                }
                if (relu) {
                    a0 = a0.lanewise(VectorOperators.MAX, 0f);
                    a1 = a1.lanewise(VectorOperators.MAX, 0f);
                    a2 = a2.lanewise(VectorOperators.MAX, 0f);
                    a3 = a3.lanewise(VectorOperators.MAX, 0f);
                }
                a0.intoArray(y, yBase + t);
                a1.intoArray(y, yBase + t + lanes);
                a2.intoArray(y, yBase + t + 2 * lanes);
                a3.intoArray(y, yBase + t + 3 * lanes);
            }
        }
    }
}
