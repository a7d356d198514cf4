package org.prunelab.core.events;

import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;

/**
 * Published to {@code pruned-variants} (key: {@link #key()}) for every method and percentage of a run: by the pruner
 * for pruned variants, by the trainer for from-scratch networks ({@link Method#SCRATCH}, modelId the run's trained
 * model).
 *
 * @param variantId        artifact id (= SHA-256) of the pruned model
 * @param expectedVariants how many variants the run has in all, so consumers know when it is complete
 */
public record PrunedVariantEvent(String runId, String modelId, String variantId, String sha256, String dataset,
                                 Method method, double percentage, Sparsity sparsity, long seed,
                                 int expectedVariants) {

    /** Refuses an event whose fields could not name a real variant, before anything is read for it. */
    public PrunedVariantEvent validate() {
        if (runId == null || modelId == null || variantId == null || dataset == null || method == null) {
            throw new IllegalArgumentException("runId, modelId, variantId, dataset and method are required");
        }
        TrainingRequest.RunIds.checkOrCreate(runId);
        org.prunelab.core.data.Datasets.checkName(dataset);
        Percentage.check(percentage);
        return this;
    }

    /** The idempotency key of a variant: one evaluation per run, method and percentage. */
    public String key() {
        return key(runId, method, percentage);
    }

    public static String key(String runId, Method method, double percentage) {
        return runId + "/" + method.id() + "/" + Percentage.label(percentage);
    }
}
