package org.prunelab.core.events;

import org.prunelab.core.inference.Timing;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;

/**
 * Published to {@code evaluations} (key: run/method/percentage) once a variant is evaluated.
 *
 * @param fastForm        the id of the method's {@link Method#fastForm()}
 * @param fastMaxAbsDiff  largest |fast - dense| output over the test set (must be below 1e-4)
 * @param speedup         median over the timed pairs of dense time / fast time (the two forms' repetitions alternate)
 * @param fastArtifacts   the fast form's files in the artifact store, to take away ({@link
 *                        org.prunelab.core.inference.FastForm#export}): one SciPy CSR matrix per layer, or one
 *                        compacted network with its kept neurons' original indices; null in records written before
 * @param speedupLow      the smallest and largest pair ratio: with n pairs they hold the median speed-up with
 * @param speedupHigh     probability 1 - 2 / 2^n (98.4 % at 7); 0 in records written before pairs were timed
 */
public record EvaluationEvent(String runId, String modelId, String variantId, String dataset, Method method,
                              double percentage, long seed, Sparsity sparsity, long fastParameters, double testLoss,
                              double testAccuracy, String fastForm, double fastMaxAbsDiff, Timing dense, Timing fast,
                              double speedup, int expectedVariants, String evaluatedBy, String evaluatedAt,
                              java.util.List<String> fastArtifacts, double speedupLow, double speedupHigh) {

    /** The speed-up's lower bound, or the speed-up itself for records without one. */
    public double speedupAtLeast() {
        return speedupLow > 0 ? speedupLow : speedup;
    }

    public String key() {
        return PrunedVariantEvent.key(runId, method, percentage);
    }
}
