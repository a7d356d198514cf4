package org.prunelab.core.pruning;

import org.prunelab.core.model.Layer;

/** How one layer is pruned at a percentage; the result is a new layer, the input is left untouched. */
public interface LayerRule {
    Layer prune(Layer layer, double percentage);

    /** int(p * n / 100), the seed's count of elements to remove out of n. */
    static int count(double percentage, int n) {
        return (int) Math.floor(percentage * n / 100.0);
    }
}
