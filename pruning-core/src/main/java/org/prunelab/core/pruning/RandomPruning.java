package org.prunelab.core.pruning;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * Random pruning, the control that magnitude pruning must beat: in each hidden layer of n weights, int(p * n / 100)
 * weights chosen uniformly at random are zeroed. The draw comes from the request's seed alone (a partial
 * Fisher-Yates shuffle of the layer's positions, layer after layer from one generator), so the same seed gives the
 * same mask.
 */
public final class RandomPruning implements NetworkRule {

    @Override
    public Mlp prune(Mlp mlp, double percentage, long seed) {
        Percentage.check(percentage);
        SplittableRandom random = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            if (k >= mlp.hiddenLayers()) {
                layers.add(l.copy());
                continue;
            }
            float[] w = l.weights().clone();
            int[] positions = new int[w.length];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
            for (int r = 0, zeros = LayerRule.count(percentage, w.length); r < zeros; r++) {
                int pick = r + random.nextInt(positions.length - r);
                int chosen = positions[pick];
                positions[pick] = positions[r];
                positions[r] = chosen;
                w[chosen] = 0f;
            }
            layers.add(new Layer(l.in(), l.out(), w));
        }
        return new Mlp(layers);
    }
}
