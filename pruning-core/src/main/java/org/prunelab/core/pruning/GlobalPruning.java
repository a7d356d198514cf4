package org.prunelab.core.pruning;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * Global magnitude pruning: one threshold over all hidden layers together. Of the N weights of the hidden layers,
 * the int(p * N / 100) of smallest absolute value are zeroed, wherever they are, so each layer reaches the sparsity
 * its magnitudes earn (reported per layer by {@link org.prunelab.core.model.Sparsity}). Ties are broken by position
 * across the layers in order (lower first), as {@link WeightPruning} breaks them within one.
 */
public final class GlobalPruning implements NetworkRule {

    @Override
    public Mlp prune(Mlp mlp, double percentage, long seed) {
        Percentage.check(percentage);
        int hidden = mlp.hiddenLayers();
        int n = 0;
        for (int k = 0; k < hidden; k++) {
            n += mlp.layer(k).size();
        }
        // the hidden weights end to end, so that one order ranks them all
        float[] all = new float[n];
        int[] start = new int[hidden + 1];
        for (int k = 0; k < hidden; k++) {
            float[] w = mlp.layer(k).weights();
            System.arraycopy(w, 0, all, start[k], w.length);
            start[k + 1] = start[k] + w.length;
        }
        int[] order = MagnitudeOrder.ascending(all);
        for (int r = 0, zeros = LayerRule.count(percentage, n); r < zeros; r++) {
            all[order[r]] = 0f;
        }
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            if (k < hidden) {
                float[] w = new float[l.size()];
                System.arraycopy(all, start[k], w, 0, w.length);
                layers.add(new Layer(l.in(), l.out(), w));
            } else {
                layers.add(l.copy());
            }
        }
        return new Mlp(layers);
    }
}
