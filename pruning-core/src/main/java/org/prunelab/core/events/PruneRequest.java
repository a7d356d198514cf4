package org.prunelab.core.events;

import java.util.List;
import org.prunelab.core.pruning.Method;

/**
 * Posted to {@code prune-requests} to prune an already trained model again with other methods or percentages,
 * without retraining. {@code runId} names the new set of results (generated when absent).
 */
public record PruneRequest(String runId, String modelId, List<Method> methods, List<Double> percentages) {

    public PruneRequest complete() {
        if (modelId == null) {
            throw new IllegalArgumentException("modelId is required");
        }
        return new PruneRequest(TrainingRequest.RunIds.checkOrCreate(runId), modelId,
                TrainingRequest.checkMethods(methods), TrainingRequest.checkPercentages(percentages));
    }
}
