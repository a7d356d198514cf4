package org.prunelab.core.events;

import java.util.List;
import org.prunelab.core.pruning.Method;

/**
 * What the pruner recorded for a run's seed (under {@link StudyPlan#pruningKey}), so that a repeated or redelivered
 * input is answered with the same variants instead of pruning again: the model, methods and percentages it was asked
 * for, and the variants it produced. The evaluator reads it to time those variants together.
 *
 * @param prunedAt when (ISO-8601), so that a restarted pruner can show its latest runs again; null in older records
 */
public record PrunedRun(String modelId, List<Method> methods, List<Double> percentages,
                        List<PrunedVariantEvent> variants, String prunedAt) {

    /** Whether this record answers a request for the same model, methods and percentages. */
    public boolean answers(String modelId, List<Method> methods, List<Double> percentages) {
        return this.modelId.equals(modelId) && this.methods.equals(methods) && this.percentages.equals(percentages);
    }
}
