package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The fast form of a weight-pruned network: every layer as a {@link CsrLayer}, run tile by tile over the batch
 * with feature-major activation buffers allocated once. Neurons that cannot change the outputs (no nonzero weight
 * in, or none out) are left out first, as in the compacted network: at 99 % weight pruning of a 10-epoch MNIST
 * model that removed a quarter of the hidden neurons and made the pass 8-10 % faster (12.5 to 11.2-11.5 ms, one
 * thread).
 */
public final class CsrNetwork extends FormShape {
    private final List<CsrLayer> layers = new ArrayList<>();
    /**
     * The network's inputs transposed into the tile: with the 16-lane kernel all of them, by {@link Transpose16}'s
     * shuffles; otherwise only those some first-layer weight reads, one by one.
     */
    private final int[] used;
    private final boolean shuffled;
    /**
     * Two feature-major tiles, each layer reading one and writing the other: the tile's activations then stay within
     * about 800 KB (the 1,000-neuron layers' tiles at 128 wide), which L2 holds, instead of 1.4 MB over the layers'
     * own buffers. The 99 % network's pass, alternating with the old in one process: 10.6 -> 10.0 ms (13.1 -> 12.1
     * in a slow spell of the host), 90 % 58.8 -> 57.6.
     */
    private final float[][] buffers = new float[2][];
    /** What {@link Transpose16} read ahead, kept so that the JIT keeps those loads; never used. */
    private float touched;

    public CsrNetwork(Mlp mlp) {
        this(mlp, CsrLayer.FASTEST);
    }

    CsrNetwork(Mlp pruned, CsrLayer.Kernel kernel) {
        // the network without its dead neurons (CompactedNetwork): their weights need no work
        Mlp mlp = CompactedNetwork.compact(pruned);
        super("csr", kernel.width(), 1, mlp);
        shuffled = kernel == CsrLayer.Kernel.LANES16;
        used = shuffled ? java.util.stream.IntStream.range(0, mlp.layer(0).in()).toArray()
                : CsrLayer.usedInputs(mlp.layer(0));
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            layers.add(k == 0 ? new CsrLayer(l, used, kernel) : new CsrLayer(l, kernel));
        }
        allocateBuffers(kernel.width());
    }

    /** Another instance with the same layers (read only in a pass) and its own buffers: {@link #sibling}. */
    private CsrNetwork(CsrNetwork of) {
        super(of.name(), of.batchSize(), 1, of.inputs(), of.classes());
        shuffled = of.shuffled;
        used = of.used;
        layers.addAll(of.layers);
        allocateBuffers(of.batchSize());
    }

    /**
     * An instance for another thread: the layers shared, the buffers its own. Each thread building its own layers
     * held the weights twice: at 2 threads the 0 % network's nonzeros took 2 x 22 MB of the caches, which the
     * passes stream once per 128-image tile.
     */
    CsrNetwork sibling() {
        return new CsrNetwork(this);
    }

    private void allocateBuffers(int width) {
        int rows = used.length;
        for (CsrLayer l : layers) {
            rows = Math.max(rows, l.out());
        }
        buffers[0] = CsrLayer.tile(rows, width);
        buffers[1] = CsrLayer.tile(rows, width);
    }

    public long nonZeros() {
        return layers.stream().mapToLong(CsrLayer::nonZeros).sum();
    }

    /**
     * A set's last rows, when at most 16, run on a 16-wide tile ({@link CsrLayer#multiplyNarrow}) where a 128-wide
     * one would compute them at the cost of 128: the 10,000 MNIST test images are 78 tiles and 16 rows, and the 16
     * rows took 0.44-0.57 of a wide tile's time this way (the weights are read once per tile whatever its width).
     * Whole passes, alternating with the wide tail in one process, AMD EPYC of this project's kind: 0.3-0.8 % faster
     * at one thread, 0.7-1.6 % at two, where the thread that takes the tail no longer finishes a whole tile after the
     * other.
     */
    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        boolean narrow = shuffled && rows <= CsrLayer.NARROW;
        int width = narrow ? CsrLayer.NARROW : batchSize();
        if (shuffled) {
            touched = Transpose16.transpose(x, offset, rows, inputs(), buffers[0], CsrLayer.BASE, width);
        } else {
            transposeIn(x, offset, rows, buffers[0]);
        }
        int last = layers.size() - 1;
        for (int k = 0; k <= last; k++) {
            if (narrow) {
                layers.get(k).multiplyNarrow(buffers[k & 1], buffers[(k + 1) & 1], k < last);
            } else {
                layers.get(k).multiply(buffers[k & 1], buffers[(k + 1) & 1], k < last);
            }
        }
        // the logits, class-major: the softmax reads them as they lie
        Softmax.columns(buffers[(last + 1) & 1], CsrLayer.BASE, width, rows, classes(), out, outOffset);
    }

    /** Batch rows transposed together: one 64-byte cache line of a tile row. */
    private static final int ROW_BLOCK = 16;

    /**
     * The batch, row-major [rows, inputs], into the feature-major tile [used inputs, width], 16 rows at a time: each
     * used input's 16 values are gathered from 16 rows read in step and written as one cache line of its tile row.
     * Row by row (every write to another line, each line written 16 times) took 6.2 ms for the 10,000 test images
     * on an AVX-512 EPYC of this project's kind, this way 4.8 ms; the 99 % CSR pass takes about 19 ms. Inputs no
     * first-layer weight reads are left out: at 99 % weight pruning 591 of MNIST's 784 pixels are read. Tile columns
     * past {@code rows} keep stale values, computed and ignored. The 8-lane and generic kernels' way; the 16-lane
     * kernel's tiles are filled by {@link Transpose16}.
     */
    private void transposeIn(float[] x, int offset, int rows, float[] in) {
        int inputs = inputs();
        int width = batchSize();
        int[] u = used;
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int m = Math.min(ROW_BLOCK, rows - r0);
            int base = offset + r0 * inputs;
            for (int k = 0; k < u.length; k++) {
                int src = base + u[k];
                int dst = CsrLayer.BASE + k * width + r0;
                for (int r = 0; r < m; r++) {
                    in[dst + r] = x[src + r * inputs];
                }
            }
        }
    }
}
