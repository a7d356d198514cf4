package org.prunelab.core.events;

import java.util.List;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;

/**
 * Published to {@code trained-models} (key: run id) when a model is trained and stored. The model travels by
 * reference: {@code modelId} is its artifact id in the store, which is also its SHA-256.
 *
 * @param baseline whether the trainer follows up with from-scratch networks of the neuron-pruned sizes
 */
public record TrainedModelEvent(String runId, String modelId, String sha256, String dataset, List<Integer> sizes,
                                TrainingConfig training, List<EpochMetrics> history, double testLoss,
                                double testAccuracy, double secondsPerEpoch, List<Method> methods,
                                List<Double> percentages, boolean baseline, String createdAt) {

    /** Every variant the run will have evaluated: pruned ones, and the from-scratch networks if asked for. */
    public int expectedVariants() {
        return ScratchBaseline.expectedVariants(methods, percentages, baseline);
    }
}
