package org.prunelab.core.inference;

/**
 * What one layer of a pruned network costs per image, dense and in its fast form: the report's per-layer table.
 * FLOPs count a multiply and an add per weight used; bytes count what the form holds (CSR: float32 values, int32
 * column indices and row pointers, so its index overhead is included).
 *
 * @param in        inputs of the layer in the original network
 * @param out       outputs of the layer in the original network
 * @param kept      nonzero weights of the pruned layer
 * @param fastIn    inputs of the layer as the fast form holds it (fewer when compacted)
 * @param fastOut   outputs of the layer as the fast form holds it
 * @param fastWeights weights the fast form holds for the layer (CSR: the nonzeros; compacted: fastIn x fastOut)
 */
public record LayerCost(int layer, int in, int out, long kept, int fastIn, int fastOut, long fastWeights,
                        long denseFlops,
                        long denseBytes, long fastFlops, long fastBytes) {

    /** Weights a form holds in all its layers. */
    public static long fastWeights(java.util.List<LayerCost> costs) {
        return costs.stream().mapToLong(LayerCost::fastWeights).sum();
    }

    /** Layer sizes of the network as the form holds it, input to output. */
    public static java.util.List<Integer> fastSizes(java.util.List<LayerCost> costs) {
        java.util.List<Integer> sizes = new java.util.ArrayList<>(java.util.List.of(costs.get(0).fastIn()));
        costs.forEach(c -> sizes.add(c.fastOut()));
        return sizes;
    }

    /** Share of the layer's weights that are zero. */
    public double sparsity() {
        return 1 - (double) kept / ((long) in * out);
    }
}
