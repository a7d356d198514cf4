package org.prunelab.core.baseline;

import java.util.List;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.LayerRule;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Method;

/**
 * The study's control for neuron pruning: networks with the hidden sizes that neuron pruning leaves at a percentage,
 * trained from a fresh start with the same data, settings and seed. Their variants carry the method
 * {@link Method#SCRATCH}, so that neuron-pruned and from-scratch accuracy stand side by side at every percentage.
 */
public final class ScratchBaseline {
    private ScratchBaseline() {
    }

    /**
     * The hidden sizes left by neuron pruning at {@code percentage}: m - int(p * m / 100) for each layer of m neurons,
     * but never fewer than one neuron.
     */
    public static List<Integer> hiddenSizes(List<Integer> hidden, double percentage) {
        Percentage.check(percentage);
        return hidden.stream().map(m -> Math.max(1, m - LayerRule.count(percentage, m))).toList();
    }

    /** The from-scratch network's training at {@code percentage}: the model's, with the neuron-pruned hidden sizes. */
    public static TrainingConfig config(TrainingConfig model, double percentage) {
        return new TrainingConfig(model.dataset(), hiddenSizes(model.hiddenSizes(), percentage), model.epochs(),
                model.batchSize(), model.learningRate(), model.seed(), model.trainLimit());
    }

    /** The percentages that get a from-scratch network: all but 0 %, whose network is the trained model itself. */
    public static List<Double> percentages(List<Double> percentages) {
        return percentages.stream().filter(p -> p > 0).toList();
    }
}
