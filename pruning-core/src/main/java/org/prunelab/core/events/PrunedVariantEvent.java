package org.prunelab.core.events;

import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Stage;

/**
 * Published to {@code pruned-variants} (key: {@link #key()}) for every seed, method and percentage of a run: by the
 * pruner for pruned variants, by the trainer for from-scratch networks ({@link Method#SCRATCH}, modelId the seed's
 * trained model) and for fine-tuned variants ({@link Stage#FINE_TUNED}, modelId the model they were pruned from).
 *
 * @param variantId        artifact id (= SHA-256) of the pruned model
 * @param seed             the seed of the model the variant comes from (or stands beside)
 * @param expectedVariants how many variants the run has in all (every seed), so consumers know when it is complete
 * @param stage            one-shot (as pruned) or fine-tuned; absent in older records: one-shot
 */
public record PrunedVariantEvent(String runId, String modelId, String variantId, String sha256, String dataset,
                                 Method method, double percentage, Sparsity sparsity, long seed,
                                 int expectedVariants, Stage stage) {
    public PrunedVariantEvent {
        stage = Stage.orOneShot(stage);
    }

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

    /** The idempotency key of a variant: one evaluation per run, seed, method, percentage and stage. */
    public String key() {
        return key(runId, seed, method, percentage, stage);
    }

    /** "run/s42/weight/90", and "run/s42/weight/90/fine-tuned" for the fine-tuned variant. */
    public static String key(String runId, long seed, Method method, double percentage, Stage stage) {
        return runId + "/s" + seed + "/" + method.id() + "/" + Percentage.label(percentage)
                + (Stage.orOneShot(stage) == Stage.ONE_SHOT ? "" : "/" + stage.id());
    }
}
