package org.prunelab.core.analysis;

import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;

/**
 * The share of all the network's weights a method really removes at a percentage. Weight pruning removes the
 * zeroed weights; neuron pruning removes each dead neuron's column and also its row in the next layer, since a dead
 * neuron's outgoing weights only ever multiply zero: that share is 1 - (compacted weights / all weights).
 */
public final class RemovedShare {
    private RemovedShare() {
    }

    public static double of(Mlp model, Method method, double percentage) {
        Mlp pruned = method.apply(model, percentage);
        return 1 - (double) method.fastForm().parameters(pruned) / model.parameters();
    }
}
