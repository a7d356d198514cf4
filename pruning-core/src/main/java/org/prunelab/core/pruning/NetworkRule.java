package org.prunelab.core.pruning;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * How a pruning method prunes a network at a percentage: a new network, the input left untouched, the output layer
 * never pruned. Layer-by-layer rules ({@link LayerRule}) and rules over all hidden layers together (global) alike.
 */
public interface NetworkRule {
    /** @param seed the request's seed, for rules that draw at random; the others ignore it */
    Mlp prune(Mlp mlp, double percentage, long seed);

    /** The same {@link LayerRule} applied to every hidden layer on its own. */
    static NetworkRule layerByLayer(LayerRule rule) {
        return (mlp, percentage, seed) -> {
            List<Layer> layers = new ArrayList<>();
            for (int k = 0; k < mlp.layers().size(); k++) {
                Layer l = mlp.layer(k);
                layers.add(k < mlp.hiddenLayers() ? rule.prune(l, percentage) : l.copy());
            }
            return new Mlp(layers);
        };
    }
}
