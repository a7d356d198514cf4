package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A dense layer with few outputs (at most {@link #MAX_OUT}), as the compacted networks of heavily neuron-pruned
 * models have (784x30 at 97 %, 784x10 at 99 %): its outputs fit in a few vectors (of 8 lanes, or 16 with AVX-512), so
 * a few rows of the batch are computed at once in registers, one broadcast input times one row of the weights per
 * step. OpenBLAS's gemm, tuned for wide matrices, ran such layers at about a third of its speed on the full network
 * (the 97 % compacted network: 14.8 ms on gemm, 8.9 ms here, on an AVX2 EPYC; on an AVX-512 EPYC 6.8 ms with 8 lanes
 * and 3.9 with 16). Wider layers stay on gemm: at 50 outputs a one-row kernel over 64 lanes was slower than gemm
 * (24 against 15 ms for the 95 % network), and so was a 16-lane kernel of two rows (9.3 against 7.9 ms).
 *
 * <p>Outputs are written with a row stride of {@link #stride()} (the outputs rounded up to a whole number of vectors)
 * from {@link #offset()}; the columns past {@link #out} hold zeros (their weights are zero), so the next skinny
 * layer reads the padded rows as they are.
 */
final class SkinnyLayer extends NarrowLayer {
    /** Outputs up to which the Java kernels beat OpenBLAS's gemm (above). */
    static final int MAX_OUT = 32;
    /** The vector width this CPU runs best: 16 lanes with AVX-512 where arrays are line-aligned, 8 otherwise. */
    static final int LANES = FloatVector.SPECIES_PREFERRED.length() >= 16 && CsrLayer.ALIGNED ? 16 : 8;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int LANES_8 = 8;
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    private final int lanes;
    /**
     * [in, stride] from {@link #base} ({@link CsrLayer#BASE} for 16 lanes, so that no 64-byte vector load straddles
     * two cache lines, as for the CSR tiles; 0 for 8), zero past {@code out}.
     */
    private final float[] w;

    SkinnyLayer(Layer layer) {
        this(layer, LANES);
    }

    /** @param lanes 8 or 16: the kernels' vector width (tests run both) */
    SkinnyLayer(Layer layer, int lanes) {
        if (lanes != 8 && lanes != 16) {
            throw new IllegalArgumentException("lanes must be 8 or 16, not " + lanes);
        }
        if (!fits(layer)) {
            throw new IllegalArgumentException("a skinny layer has at most " + MAX_OUT + " outputs, not "
                    + layer.out());
        }
        int outs = layer.out();
        int rowStride = outs <= lanes ? lanes : outs <= 2 * lanes ? 2 * lanes : 4 * lanes;
        super(layer, rowStride, lanes == 16 ? CsrLayer.BASE : 0);
        this.lanes = lanes;
        w = new float[base + in * stride];
        for (int i = 0; i < in; i++) {
            System.arraycopy(layer.weights(), i * out, w, base + i * stride, out);
        }
    }

    static boolean fits(Layer layer) {
        return layer.out() <= MAX_OUT;
    }

    /**
     * y[r, 0..stride) = x[r, 0..in) W for r < rows, then ReLU if asked; x rows start at {@code xOffset} and are
     * {@code xStride} apart, y rows are {@link #stride()} apart from {@link #offset()} ({@link #outputs}). Rows go in
     * groups that keep 8 accumulators (8 lanes: 2 rows of four vectors, 4 of two or one; 16 lanes: 8 rows of one
     * vector) or 16 (16 lanes: 8 rows of two vectors, then 4 if as many are left), the rest one by one.
     */
    @Override
    void multiply(float[] x, int xOffset, int xStride, int rows, float[] y, boolean relu) {
        if (lanes == 16) {
            multiply16(x, xOffset, xStride, rows, y, relu);
            return;
        }
        int group = stride == 4 * LANES_8 ? 2 : 4;
        int r = 0;
        for (; r + group <= rows; r += group) {
            int x0 = xOffset + r * xStride;
            switch (stride) {
                case 4 * LANES_8 -> rows2x32(x, x0, x0 + xStride, y, r * stride, relu);
                case 2 * LANES_8 -> rows4x16(x, x0, xStride, y, r * stride, relu);
                default -> rows4x8(x, x0, xStride, y, r * stride, relu);
            }
        }
        for (; r < rows; r++) {
            row(x, xOffset + r * xStride, y, r * stride, relu);
        }
    }

    private void multiply16(float[] x, int xOffset, int xStride, int rows, float[] y, boolean relu) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            int x0 = xOffset + r * xStride;
            int y0 = base + r * stride;
            switch (stride) {
                case 32 -> rows8x32(w, base, in, x, x0, xStride, y, y0, 32, relu);
                default -> rows8x16(w, base, in, x, x0, xStride, y, y0, 16, relu);
            }
        }
        if (stride == 32 && r + 4 <= rows) {
            rows4x32(w, base, in, x, xOffset + r * xStride, xStride, y, base + r * stride, 32, relu);
            r += 4;
        }
        for (; r < rows; r++) {
            row16(x, xOffset + r * xStride, y, base + r * stride, relu);
        }
    }

    /** Two rows, 32 outputs: 8 accumulators, each weight vector loaded once for both rows. */
    private void rows2x32(float[] x, int x0, int x1, float[] y, int y0, boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int i = 0, wi = 0; i < in; i++, wi += 32) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + 8);
            FloatVector w2 = FloatVector.fromArray(S, w, wi + 16);
            FloatVector w3 = FloatVector.fromArray(S, w, wi + 24);
            FloatVector u = FloatVector.broadcast(S, x[x0 + i]);
            FloatVector v = FloatVector.broadcast(S, x[x1 + i]);
            a0 = w0.fma(u, a0);
            a1 = w1.fma(u, a1);
            a2 = w2.fma(u, a2);
            a3 = w3.fma(u, a3);
            b0 = w0.fma(v, b0);
            b1 = w1.fma(v, b1);
            b2 = w2.fma(v, b2);
            b3 = w3.fma(v, b3);
        }
        store(a0, y, y0, relu);
        store(a1, y, y0 + 8, relu);
        store(a2, y, y0 + 16, relu);
        store(a3, y, y0 + 24, relu);
        store(b0, y, y0 + 32, relu);
        store(b1, y, y0 + 40, relu);
        store(b2, y, y0 + 48, relu);
        store(b3, y, y0 + 56, relu);
    }

    /** Four rows, 16 outputs. */
    private void rows4x16(float[] x, int x0, int xs, float[] y, int y0, boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        for (int i = 0, wi = 0; i < in; i++, wi += 16) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            FloatVector w1 = FloatVector.fromArray(S, w, wi + 8);
            FloatVector u = FloatVector.broadcast(S, x[x0 + i]);
            a0 = w0.fma(u, a0);
            a1 = w1.fma(u, a1);
            u = FloatVector.broadcast(S, x[x0 + xs + i]);
            b0 = w0.fma(u, b0);
            b1 = w1.fma(u, b1);
            u = FloatVector.broadcast(S, x[x0 + 2 * xs + i]);
            c0 = w0.fma(u, c0);
            c1 = w1.fma(u, c1);
            u = FloatVector.broadcast(S, x[x0 + 3 * xs + i]);
            d0 = w0.fma(u, d0);
            d1 = w1.fma(u, d1);
        }
        store(a0, y, y0, relu);
        store(a1, y, y0 + 8, relu);
        store(b0, y, y0 + 16, relu);
        store(b1, y, y0 + 24, relu);
        store(c0, y, y0 + 32, relu);
        store(c1, y, y0 + 40, relu);
        store(d0, y, y0 + 48, relu);
        store(d1, y, y0 + 56, relu);
    }

    /** Four rows, 8 outputs. */
    private void rows4x8(float[] x, int x0, int xs, float[] y, int y0, boolean relu) {
        FloatVector a = FloatVector.zero(S);
        FloatVector b = a;
        FloatVector c = a;
        FloatVector d = a;
        for (int i = 0, wi = 0; i < in; i++, wi += 8) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi);
            a = w0.fma(FloatVector.broadcast(S, x[x0 + i]), a);
            b = w0.fma(FloatVector.broadcast(S, x[x0 + xs + i]), b);
            c = w0.fma(FloatVector.broadcast(S, x[x0 + 2 * xs + i]), c);
            d = w0.fma(FloatVector.broadcast(S, x[x0 + 3 * xs + i]), d);
        }
        store(a, y, y0, relu);
        store(b, y, y0 + 8, relu);
        store(c, y, y0 + 16, relu);
        store(d, y, y0 + 24, relu);
    }

    /** One row, any stride: one accumulator per vector of the stride. */
    private void row(float[] x, int x0, float[] y, int y0, boolean relu) {
        for (int v = 0; v < stride; v += LANES_8) {
            FloatVector a = FloatVector.zero(S);
            for (int i = 0, wi = v; i < in; i++, wi += stride) {
                a = FloatVector.fromArray(S, w, wi).fma(FloatVector.broadcast(S, x[x0 + i]), a);
            }
            store(a, y, y0 + v, relu);
        }
    }

    private static void store(FloatVector v, float[] y, int at, boolean relu) {
        CsrLayer.store(v, y, at, relu);
    }

    /** 16 lanes, one row, any stride: one accumulator per vector of the stride. */
    private void row16(float[] x, int x0, float[] y, int y0, boolean relu) {
        for (int v = 0; v < stride; v += 16) {
            FloatVector a = FloatVector.zero(S16);
            for (int i = 0, wi = base + v; i < in; i++, wi += stride) {
                a = FloatVector.fromArray(S16, w, wi).fma(FloatVector.broadcast(S16, x[x0 + i]), a);
            }
            store16(a, y, y0 + v, relu);
        }
    }

    /**
     * v into y from {@code at}, through ReLU if asked: for the 16-lane kernels only (a helper compiled on its own
     * that sees two vector shapes runs the Vector API's Java fallback; the 8-lane kernels have theirs).
     */
    private static void store16(FloatVector v, float[] y, int at, boolean relu) {
        (relu ? v.max(FloatVector.zero(S16)) : v).intoArray(y, at);
    }
}
