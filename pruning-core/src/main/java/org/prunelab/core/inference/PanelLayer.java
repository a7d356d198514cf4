package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A dense layer of 33 to {@link #MAX_OUT} outputs on 16-lane vectors (AVX-512), too wide for {@link SkinnyLayer}: the
 * layers of compacted networks from 80 % neuron pruning up (784x200, 784x100, 784x50...). OpenBLAS's gemm, tuned for
 * wide matrices, ran 784x50 at 95 GF/s and 784x100 at 125 where it runs the full network at 190; these kernels run
 * them at 140 and 170 streaming the test set, 190-210 on rows in cache (784x200: 198 against 135 on gemm). The outputs
 * go in panels of up to three vectors (48 outputs), rounded up to whole vectors; a group of eight rows goes through
 * every panel while its inputs stay in L1, four rows at a time through a panel of three (12 accumulators: eight rows'
 * 24 ran at 144 against 210 GF/s in L2, the JIT spilling). A last panel of one vector holding up to {@link #DOT_MAX}
 * outputs (784x50: 2, and 14 lanes of padding) is computed as dot products along the inputs instead ({@link #dot8x2}):
 * 784x50 then ran 4.8-5.2 ms streaming the test set and 3.9-4.0 with rows in cache, against 5.9-6.6 and 5.0-5.3 with
 * the padded panel (one thread, AMD EPYC of this project's kind); 784x100 (4 such outputs) 9.2 against 10.4; with 8
 * (784x56, 784x200) neither way was faster, with 12 (784x60) the panel was.
 *
 * <p>Outputs are written as {@link SkinnyLayer}'s: rows {@link #stride()} apart from {@link #offset()}, zeros past
 * {@link #out}.
 */
final class PanelLayer extends NarrowLayer {
    /** Outputs up to which these kernels beat OpenBLAS's gemm (measured up to 200; wider layers are rarely narrow). */
    static final int MAX_OUT = 200;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int LANES = 16;
    private static final int ROWS = 8;
    private static final int PANEL = 3;
    /** Outputs of a last one-vector panel up to which dot products beat the padded panel (measured: see above). */
    private static final int DOT_MAX = 6;

    /** Per panel: its vectors, its first output, and where its [in, vectors x 16] weights start in {@link #w}. */
    private final int[] vectors;
    private final int[] column;
    private final int[] start;
    private final float[] w;
    /**
     * Outputs of the last panel computed by dot products ({@link #dot8x2}) instead, where that panel is one vector
     * holding at most {@link #DOT_MAX} of them; 0 where there is no such panel.
     */
    private final int dots;
    /**
     * Their weights, output by output along the inputs, in pairs ({@link #dot8x2} takes two at a time; an odd count
     * leaves a column of zeros); each column {@link #span} floats, so that every one starts on a cache line.
     */
    private final float[] columns;
    /** Floats from one column to the next: the inputs rounded up to whole vectors. */
    private final int span;

    PanelLayer(Layer layer) {
        if (!fits(layer, LANES)) {
            throw new IllegalArgumentException("a panel layer has " + (SkinnyLayer.MAX_OUT + 1) + " to " + MAX_OUT
                    + " outputs, not " + layer.out());
        }
        int whole = (layer.out() + LANES - 1) / LANES;
        super(layer, LANES * whole, CsrLayer.BASE);
        int panels = (whole + PANEL - 1) / PANEL;
        vectors = new int[panels];
        column = new int[panels];
        start = new int[panels];
        w = new float[base + in * LANES * whole];
        for (int p = 0, at = base; p < panels; p++) {
            vectors[p] = Math.min(PANEL, whole - p * PANEL);
            column[p] = p * PANEL * LANES;
            start[p] = at;
            int width = vectors[p] * LANES;
            for (int i = 0; i < in; i++) {
                int n = Math.min(width, out - column[p]); // the last panel is padded past out
                System.arraycopy(layer.weights(), i * out + column[p], w, at + i * width, n);
            }
            at += in * width;
        }
        int last = panels - 1;
        int left = out - column[last];
        dots = vectors[last] == 1 && left <= DOT_MAX ? left : 0;
        span = (in + LANES - 1) / LANES * LANES;
        int pairs = (dots + 1) / 2;
        columns = new float[base + 2 * pairs * span];
        for (int j = 0; j < dots; j++) {
            for (int i = 0; i < in; i++) {
                columns[base + j * span + i] = layer.weights()[i * out + column[last] + j];
            }
        }
    }

    /** Whether these kernels run {@code layer}: on 16 lanes, wider than a skinny layer, up to {@link #MAX_OUT}. */
    static boolean fits(Layer layer, int lanes) {
        return lanes == LANES && layer.out() > SkinnyLayer.MAX_OUT && layer.out() <= MAX_OUT;
    }

    @Override
    void multiply(float[] x, int xOffset, int xStride, int rows, float[] y, boolean relu) {
        int r = 0;
        for (; r + ROWS <= rows; r += ROWS) {
            // eight rows through every panel: their inputs (8 x 3 KiB for 784) stay in L1 from one panel to the next
            int x0 = xOffset + r * xStride;
            int x4 = x0 + 4 * xStride;
            int y0 = base + r * stride;
            int y4 = y0 + 4 * stride;
            for (int p = 0; p < vectors.length; p++) {
                int c = column[p];
                switch (vectors[p]) {
                    case 3 -> {
                        rows4x48(x, x0, xStride, start[p], y, y0 + c, relu);
                        rows4x48(x, x4, xStride, start[p], y, y4 + c, relu);
                    }
                    case 2 -> {
                        rows4x32(w, start[p], in, x, x0, xStride, y, y0 + c, stride, relu);
                        rows4x32(w, start[p], in, x, x4, xStride, y, y4 + c, stride, relu);
                    }
                    default -> {
                        if (dots > 0) {
                            // the panel's padding zeroed, then its outputs written one by one
                            FloatVector zero = FloatVector.zero(S);
                            for (int q = 0; q < ROWS; q++) {
                                zero.intoArray(y, y0 + q * stride + c);
                            }
                            for (int j = 0; j < dots; j += 2) {
                                dot8x2(x, x0, xStride, base + j * span, y, y0 + c + j, relu);
                            }
                        } else {
                            rows8x16(w, start[p], in, x, x0, xStride, y, y0 + c, stride, relu);
                        }
                    }
                }
            }
        }
        for (; r < rows; r++) {
            row(x, xOffset + r * xStride, y, base + r * stride, relu);
        }
    }

    /** Four rows, three vectors: 12 accumulators (eight rows' 24 spilled: 144 against 210 GF/s in L2). */
    private void rows4x48(float[] x, int x0, int xs, int w0, float[] y, int y0, boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector c0 = a0;
        FloatVector c1 = a0;
        FloatVector c2 = a0;
        FloatVector d0 = a0;
        FloatVector d1 = a0;
        FloatVector d2 = a0;
        for (int i = 0, wi = w0; i < in; i++, wi += 48) {
            FloatVector v0 = FloatVector.fromArray(S, w, wi);
            FloatVector v1 = FloatVector.fromArray(S, w, wi + 16);
            FloatVector v2 = FloatVector.fromArray(S, w, wi + 32);
            int at = x0 + i;
            FloatVector u = FloatVector.broadcast(S, x[at]);
            a0 = v0.fma(u, a0);
            a1 = v1.fma(u, a1);
            a2 = v2.fma(u, a2);
            u = FloatVector.broadcast(S, x[at + xs]);
            b0 = v0.fma(u, b0);
            b1 = v1.fma(u, b1);
            b2 = v2.fma(u, b2);
            u = FloatVector.broadcast(S, x[at + 2 * xs]);
            c0 = v0.fma(u, c0);
            c1 = v1.fma(u, c1);
            c2 = v2.fma(u, c2);
            u = FloatVector.broadcast(S, x[at + 3 * xs]);
            d0 = v0.fma(u, d0);
            d1 = v1.fma(u, d1);
            d2 = v2.fma(u, d2);
        }
        int s = stride;
        store3(a0, a1, a2, y, y0, relu);
        store3(b0, b1, b2, y, y0 + s, relu);
        store3(c0, c1, c2, y, y0 + 2 * s, relu);
        store3(d0, d1, d2, y, y0 + 3 * s, relu);
    }

    /**
     * Eight rows by two outputs as dot products along the inputs, 16 lanes of inputs at a time: 16 accumulators, each
     * summed across its lanes at the end. For the last outputs of a layer such as 784x50: a one-vector panel spends
     * 16 lanes of multiply-adds on its 2 outputs, this 2 per 16 inputs.
     *
     * @param c0 where this pair's two weight columns start in {@link #columns}
     */
    private void dot8x2(float[] x, int x0, int xs, int c0, float[] y, int y0, boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        FloatVector b4 = a0;
        FloatVector b5 = a0;
        FloatVector b6 = a0;
        FloatVector b7 = a0;
        float[] cs = columns;
        int c1 = c0 + span;
        int whole = in & -LANES;
        for (int i = 0; i < whole; i += LANES) {
            FloatVector u = FloatVector.fromArray(S, cs, c0 + i);
            FloatVector v = FloatVector.fromArray(S, cs, c1 + i);
            int at = x0 + i;
            FloatVector r = FloatVector.fromArray(S, x, at);
            a0 = r.fma(u, a0);
            b0 = r.fma(v, b0);
            r = FloatVector.fromArray(S, x, at + xs);
            a1 = r.fma(u, a1);
            b1 = r.fma(v, b1);
            r = FloatVector.fromArray(S, x, at + 2 * xs);
            a2 = r.fma(u, a2);
            b2 = r.fma(v, b2);
            r = FloatVector.fromArray(S, x, at + 3 * xs);
            a3 = r.fma(u, a3);
            b3 = r.fma(v, b3);
            r = FloatVector.fromArray(S, x, at + 4 * xs);
            a4 = r.fma(u, a4);
            b4 = r.fma(v, b4);
            r = FloatVector.fromArray(S, x, at + 5 * xs);
            a5 = r.fma(u, a5);
            b5 = r.fma(v, b5);
            r = FloatVector.fromArray(S, x, at + 6 * xs);
            a6 = r.fma(u, a6);
            b6 = r.fma(v, b6);
            r = FloatVector.fromArray(S, x, at + 7 * xs);
            a7 = r.fma(u, a7);
            b7 = r.fma(v, b7);
        }
        int s = stride;
        store(a0.reduceLanes(VectorOperators.ADD), x, x0, c0, whole, y, y0, relu);
        store(a1.reduceLanes(VectorOperators.ADD), x, x0 + xs, c0, whole, y, y0 + s, relu);
        store(a2.reduceLanes(VectorOperators.ADD), x, x0 + 2 * xs, c0, whole, y, y0 + 2 * s, relu);
        store(a3.reduceLanes(VectorOperators.ADD), x, x0 + 3 * xs, c0, whole, y, y0 + 3 * s, relu);
        store(a4.reduceLanes(VectorOperators.ADD), x, x0 + 4 * xs, c0, whole, y, y0 + 4 * s, relu);
        store(a5.reduceLanes(VectorOperators.ADD), x, x0 + 5 * xs, c0, whole, y, y0 + 5 * s, relu);
        store(a6.reduceLanes(VectorOperators.ADD), x, x0 + 6 * xs, c0, whole, y, y0 + 6 * s, relu);
        store(a7.reduceLanes(VectorOperators.ADD), x, x0 + 7 * xs, c0, whole, y, y0 + 7 * s, relu);
        store(b0.reduceLanes(VectorOperators.ADD), x, x0, c1, whole, y, y0 + 1, relu);
        store(b1.reduceLanes(VectorOperators.ADD), x, x0 + xs, c1, whole, y, y0 + 1 + s, relu);
        store(b2.reduceLanes(VectorOperators.ADD), x, x0 + 2 * xs, c1, whole, y, y0 + 1 + 2 * s, relu);
        store(b3.reduceLanes(VectorOperators.ADD), x, x0 + 3 * xs, c1, whole, y, y0 + 1 + 3 * s, relu);
        store(b4.reduceLanes(VectorOperators.ADD), x, x0 + 4 * xs, c1, whole, y, y0 + 1 + 4 * s, relu);
        store(b5.reduceLanes(VectorOperators.ADD), x, x0 + 5 * xs, c1, whole, y, y0 + 1 + 5 * s, relu);
        store(b6.reduceLanes(VectorOperators.ADD), x, x0 + 6 * xs, c1, whole, y, y0 + 1 + 6 * s, relu);
        store(b7.reduceLanes(VectorOperators.ADD), x, x0 + 7 * xs, c1, whole, y, y0 + 1 + 7 * s, relu);
    }

    /**
     * One dot product's sum over the whole vectors, plus the inputs past them value by value (a layer whose inputs
     * are not a whole number of vectors), into y, through ReLU if asked. Scalars only: no vector crosses this call.
     */
    private void store(float sum, float[] x, int x0, int c0, int whole, float[] y, int at, boolean relu) {
        for (int i = whole; i < in; i++) {
            sum += x[x0 + i] * columns[c0 + i];
        }
        y[at] = relu ? Math.max(sum, 0f) : sum;
    }

    /** One row, one vector at a time: for the rows past the last group of 8. */
    private void row(float[] x, int x0, float[] y, int y0, boolean relu) {
        for (int p = 0; p < vectors.length; p++) {
            int width = vectors[p] * LANES;
            for (int v = 0; v < width; v += LANES) {
                FloatVector a = FloatVector.zero(S);
                for (int i = 0, wi = start[p] + v; i < in; i++, wi += width) {
                    a = FloatVector.fromArray(S, w, wi).fma(FloatVector.broadcast(S, x[x0 + i]), a);
                }
                (relu ? a.max(FloatVector.zero(S)) : a).intoArray(y, y0 + column[p] + v);
            }
        }
    }

    /**
     * The kernels' stores, written out: C2 did not inline a shared one-vector helper into them ("low call site
     * frequency"), and a vector passed to a call that is not inlined is boxed and stored by the Java fallback
     * (784x48: 28 against 180 GF/s).
     */
    private static void store3(FloatVector a, FloatVector b, FloatVector c, float[] y, int at, boolean relu) {
        if (relu) {
            FloatVector zero = FloatVector.zero(S);
            a.max(zero).intoArray(y, at);
            b.max(zero).intoArray(y, at + 16);
            c.max(zero).intoArray(y, at + 32);
        } else {
            a.intoArray(y, at);
            b.intoArray(y, at + 16);
            c.intoArray(y, at + 32);
        }
    }
}
