package org.prunelab.core.analysis;

import java.util.List;
import org.prunelab.core.inference.LayerCost;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;

/**
 * The share of all the network's weights a method really removes at a percentage. Weight pruning removes the
 * zeroed weights; neuron pruning removes each dead neuron's column and also its row in the next layer, since a dead
 * neuron's outgoing weights only ever multiply zero: that share is 1 - (compacted weights / all weights). Either
 * form also leaves out the weights of neurons that cannot change the outputs: a neuron weight pruning left without
 * any nonzero weight in, or without any out.
 */
public final class RemovedShare {
    private RemovedShare() {
    }

    public static double of(Mlp model, Method method, double percentage, long seed) {
        return of(model, method.fastForm().costs(method.apply(model, percentage, seed)));
    }

    /** The share from a variant's per-layer costs: the weights its fast form no longer holds. */
    public static double of(Mlp model, List<LayerCost> costs) {
        return 1 - (double) LayerCost.fastWeights(costs) / model.parameters();
    }
}
