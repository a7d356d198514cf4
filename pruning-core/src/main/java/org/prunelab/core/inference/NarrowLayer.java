package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A dense layer with few outputs run by a Java kernel instead of OpenBLAS's gemm ({@link GemmForm}): up to 32
 * outputs on {@link SkinnyLayer}, up to {@link PanelLayer#MAX_OUT} on {@link PanelLayer} where vectors have 16 lanes.
 * Outputs are written rows {@link #stride()} apart from {@link #offset()}, zeros past the layer's outputs, so that the
 * next narrow layer reads the padded rows as they are.
 */
abstract sealed class NarrowLayer permits SkinnyLayer, PanelLayer {
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    /** The layer's inputs and outputs. */
    final int in;
    final int out;
    /** Floats between output rows: the outputs rounded up to whole vectors. */
    final int stride;
    /** Where weight and output rows start in their arrays (a cache line where vectors have 16 lanes). */
    final int base;

    NarrowLayer(Layer layer, int stride, int base) {
        this.in = layer.in();
        this.out = layer.out();
        this.stride = stride;
        this.base = base;
    }

    /** The kernel for {@code layer} on vectors of {@code lanes} (8 or 16), or null if gemm runs it faster. */
    static NarrowLayer of(Layer layer, int lanes) {
        if (SkinnyLayer.fits(layer)) {
            return new SkinnyLayer(layer, lanes);
        }
        return PanelLayer.fits(layer, lanes) ? new PanelLayer(layer) : null;
    }

    static boolean fits(Layer layer, int lanes) {
        return SkinnyLayer.fits(layer) || PanelLayer.fits(layer, lanes);
    }

    /**
     * y[r, 0..out) = x[r, 0..in) W for r < rows, then ReLU if asked; x rows start at {@code xOffset} and are
     * {@code xStride} apart.
     */
    abstract void multiply(float[] x, int xOffset, int xStride, int rows, float[] y, boolean relu);

    /** Floats between output rows. */
    final int stride() {
        return stride;
    }

    /** Where the first output row starts in y. */
    final int offset() {
        return base;
    }

    /** An output array for {@code rows} rows. */
    final float[] outputs(int rows) {
        return new float[base + rows * stride];
    }

    /**
     * Four rows of two 16-lane vectors of outputs: y[y0 + r * ys + 0..32) = x rows (from x0, xs apart) times the
     * [in, 32] weights from w0 (rows 32 apart), for r < 4, then ReLU if asked; 8 accumulators, each weight vector
     * loaded once for the four rows. The last four rows of skinny layers of 17 to 32 outputs (after
     * {@link #rows8x32}) and the panel kernel's two-vector panels; stores written out, as in {@link #rows8x16}.
     */
    static void rows4x32(float[] w, int w0, int in, float[] x, int x0, int xs, float[] y, int y0, int ys,
                         boolean relu) {
        FloatVector a0 = FloatVector.zero(S16);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        for (int i = 0, wi = w0; i < in; i++, wi += 32) {
            FloatVector v0 = FloatVector.fromArray(S16, w, wi);
            FloatVector v1 = FloatVector.fromArray(S16, w, wi + 16);
            int at = x0 + i;
            FloatVector u = FloatVector.broadcast(S16, x[at]);
            a0 = v0.fma(u, a0);
            a1 = v1.fma(u, a1);
            u = FloatVector.broadcast(S16, x[at + xs]);
            b0 = v0.fma(u, b0);
            b1 = v1.fma(u, b1);
            u = FloatVector.broadcast(S16, x[at + 2 * xs]);
            c0 = v0.fma(u, c0);
            c1 = v1.fma(u, c1);
            u = FloatVector.broadcast(S16, x[at + 3 * xs]);
            d0 = v0.fma(u, d0);
            d1 = v1.fma(u, d1);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(S16);
            a0 = a0.max(zero);
            a1 = a1.max(zero);
            b0 = b0.max(zero);
            b1 = b1.max(zero);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            d0 = d0.max(zero);
            d1 = d1.max(zero);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + 16);
        b0.intoArray(y, y0 + ys);
        b1.intoArray(y, y0 + ys + 16);
        c0.intoArray(y, y0 + 2 * ys);
        c1.intoArray(y, y0 + 2 * ys + 16);
        d0.intoArray(y, y0 + 3 * ys);
        d1.intoArray(y, y0 + 3 * ys + 16);
    }

    /**
     * Eight rows of two 16-lane vectors of outputs: as {@link #rows4x32} for r < 8, in 16 accumulators, each weight
     * vector loaded once for the eight rows (2 weight loads and 8 broadcasts per 16 FMAs instead of 2 and 4 per 8).
     * The 784x30 layer of the 97 % compacted network streaming the test set, one thread, one process, four launches:
     * 3.36-3.50 ms against 3.46-3.68 with four rows (AMD EPYC, AVX-512); the 16 accumulators, 2 weights and a
     * broadcast fit AVX-512's 32 registers.
     */
    static void rows8x32(float[] w, int w0, int in, float[] x, int x0, int xs, float[] y, int y0, int ys,
                         boolean relu) {
        FloatVector a0 = FloatVector.zero(S16);
        FloatVector a1 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector e0 = a0;
        FloatVector e1 = a0;
        FloatVector f0 = a0;
        FloatVector f1 = a0;
        FloatVector g0 = a0;
        FloatVector g1 = a0;
        FloatVector h0 = a0;
        FloatVector h1 = a0;
        for (int i = 0, wi = w0; i < in; i++, wi += 32) {
            FloatVector v0 = FloatVector.fromArray(S16, w, wi);
            FloatVector v1 = FloatVector.fromArray(S16, w, wi + 16);
            int at = x0 + i;
            FloatVector u = FloatVector.broadcast(S16, x[at]);
            a0 = v0.fma(u, a0);
            a1 = v1.fma(u, a1);
            u = FloatVector.broadcast(S16, x[at + xs]);
            b0 = v0.fma(u, b0);
            b1 = v1.fma(u, b1);
            u = FloatVector.broadcast(S16, x[at + 2 * xs]);
            c0 = v0.fma(u, c0);
            c1 = v1.fma(u, c1);
            u = FloatVector.broadcast(S16, x[at + 3 * xs]);
            d0 = v0.fma(u, d0);
            d1 = v1.fma(u, d1);
            u = FloatVector.broadcast(S16, x[at + 4 * xs]);
            e0 = v0.fma(u, e0);
            e1 = v1.fma(u, e1);
            u = FloatVector.broadcast(S16, x[at + 5 * xs]);
            f0 = v0.fma(u, f0);
            f1 = v1.fma(u, f1);
            u = FloatVector.broadcast(S16, x[at + 6 * xs]);
            g0 = v0.fma(u, g0);
            g1 = v1.fma(u, g1);
            u = FloatVector.broadcast(S16, x[at + 7 * xs]);
            h0 = v0.fma(u, h0);
            h1 = v1.fma(u, h1);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(S16);
            a0 = a0.max(zero);
            a1 = a1.max(zero);
            b0 = b0.max(zero);
            b1 = b1.max(zero);
            c0 = c0.max(zero);
            c1 = c1.max(zero);
            d0 = d0.max(zero);
            d1 = d1.max(zero);
            e0 = e0.max(zero);
            e1 = e1.max(zero);
            f0 = f0.max(zero);
            f1 = f1.max(zero);
            g0 = g0.max(zero);
            g1 = g1.max(zero);
            h0 = h0.max(zero);
            h1 = h1.max(zero);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + 16);
        b0.intoArray(y, y0 + ys);
        b1.intoArray(y, y0 + ys + 16);
        c0.intoArray(y, y0 + 2 * ys);
        c1.intoArray(y, y0 + 2 * ys + 16);
        d0.intoArray(y, y0 + 3 * ys);
        d1.intoArray(y, y0 + 3 * ys + 16);
        e0.intoArray(y, y0 + 4 * ys);
        e1.intoArray(y, y0 + 4 * ys + 16);
        f0.intoArray(y, y0 + 5 * ys);
        f1.intoArray(y, y0 + 5 * ys + 16);
        g0.intoArray(y, y0 + 6 * ys);
        g1.intoArray(y, y0 + 6 * ys + 16);
        h0.intoArray(y, y0 + 7 * ys);
        h1.intoArray(y, y0 + 7 * ys + 16);
    }

    /**
     * Eight rows of one 16-lane vector of outputs: y[y0 + r * ys + 0..16) = x rows (from x0, xs apart) times the
     * [in, 16] weights from w0, for r < 8, then ReLU if asked. Both kernels' layers of up to 16 outputs and the
     * panel kernel's one-vector panels; the stores are written out here (a vector passed to a helper C2 does not
     * inline is boxed: see {@link PanelLayer}).
     */
    static void rows8x16(float[] w, int w0, int in, float[] x, int x0, int xs, float[] y, int y0, int ys,
                         boolean relu) {
        FloatVector a = FloatVector.zero(S16);
        FloatVector b = a;
        FloatVector c = a;
        FloatVector d = a;
        FloatVector e = a;
        FloatVector f = a;
        FloatVector g = a;
        FloatVector h = a;
        for (int i = 0, wi = w0; i < in; i++, wi += 16) {
            FloatVector v = FloatVector.fromArray(S16, w, wi);
            int at = x0 + i;
            a = v.fma(FloatVector.broadcast(S16, x[at]), a);
            b = v.fma(FloatVector.broadcast(S16, x[at + xs]), b);
            c = v.fma(FloatVector.broadcast(S16, x[at + 2 * xs]), c);
            d = v.fma(FloatVector.broadcast(S16, x[at + 3 * xs]), d);
            e = v.fma(FloatVector.broadcast(S16, x[at + 4 * xs]), e);
            f = v.fma(FloatVector.broadcast(S16, x[at + 5 * xs]), f);
            g = v.fma(FloatVector.broadcast(S16, x[at + 6 * xs]), g);
            h = v.fma(FloatVector.broadcast(S16, x[at + 7 * xs]), h);
        }
        if (relu) {
            FloatVector zero = FloatVector.zero(S16);
            a = a.max(zero);
            b = b.max(zero);
            c = c.max(zero);
            d = d.max(zero);
            e = e.max(zero);
            f = f.max(zero);
            g = g.max(zero);
            h = h.max(zero);
        }
        a.intoArray(y, y0);
        b.intoArray(y, y0 + ys);
        c.intoArray(y, y0 + 2 * ys);
        d.intoArray(y, y0 + 3 * ys);
        e.intoArray(y, y0 + 4 * ys);
        f.intoArray(y, y0 + 5 * ys);
        g.intoArray(y, y0 + 6 * ys);
        h.intoArray(y, y0 + 7 * ys);
    }
}
