package org.prunelab.core.inference;

import org.prunelab.core.model.Layer;

/**
 * A dense layer with few outputs run by a Java kernel instead of OpenBLAS's gemm ({@link GemmForm}): up to 32
 * outputs on {@link SkinnyLayer}, up to {@link PanelLayer#MAX_OUT} on {@link PanelLayer} where vectors have 16 lanes.
 * Outputs are written rows {@link #stride()} apart from {@link #offset()}, zeros past the layer's outputs, so that the
 * next narrow layer reads the padded rows as they are.
 */
abstract sealed class NarrowLayer permits SkinnyLayer, PanelLayer {
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
}
