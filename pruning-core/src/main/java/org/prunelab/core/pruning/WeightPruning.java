package org.prunelab.core.pruning;

import org.prunelab.core.model.Layer;

/**
 * Weight (unstructured) pruning: zero the int(p * n / 100) weights of smallest absolute value.
 * Ties in magnitude are broken by position (lower index first), so exactly that many weights are chosen
 * and the result does not depend on sort stability.
 */
public final class WeightPruning implements LayerRule {

    @Override
    public Layer prune(Layer layer, double percentage) {
        Percentage.check(percentage);
        float[] w = layer.weights().clone();
        int k = LayerRule.count(percentage, w.length);
        if (k == 0) {
            return new Layer(layer.in(), layer.out(), w);
        }
        int[] order = MagnitudeOrder.ascending(w);
        for (int r = 0; r < k; r++) {
            w[order[r]] = 0f;
        }
        return new Layer(layer.in(), layer.out(), w);
    }
}
