package org.prunelab.core.pruning;

import java.util.Arrays;
import java.util.Comparator;
import org.prunelab.core.model.Layer;

/**
 * Neuron (structured) pruning: zero the int(p * m / 100) neurons, i.e. columns of the [in, out] matrix,
 * whose incoming weights have the smallest L2 norm. Ties are broken by column index (lower first).
 */
public final class NeuronPruning implements LayerRule {

    @Override
    public Layer prune(Layer layer, double percentage) {
        Percentage.check(percentage);
        float[] w = layer.weights().clone();
        int k = LayerRule.count(percentage, layer.out());
        if (k == 0) {
            return new Layer(layer.in(), layer.out(), w);
        }
        boolean[] removed = removedNeurons(layer, k);
        int out = layer.out();
        for (int i = 0; i < layer.in(); i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                if (removed[j]) {
                    w[row + j] = 0f;
                }
            }
        }
        return new Layer(layer.in(), out, w);
    }

    /** The k columns with the smallest incoming L2 norm. */
    static boolean[] removedNeurons(Layer layer, int k) {
        double[] norms = layer.columnNorms();
        Integer[] order = new Integer[norms.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> norms[j]).thenComparingInt(j -> j));
        boolean[] removed = new boolean[norms.length];
        for (int r = 0; r < k; r++) {
            removed[order[r]] = true;
        }
        return removed;
    }
}
