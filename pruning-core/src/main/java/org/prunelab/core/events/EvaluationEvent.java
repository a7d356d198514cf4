package org.prunelab.core.events;

import java.util.List;
import java.util.Optional;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * Published to {@code evaluations} (key: {@link PrunedVariantEvent#key}) once a variant is evaluated.
 *
 * @param stage           one-shot or fine-tuned (older records: one-shot)
 * @param removedShare    the share of the model's weights the fast form does not hold: zeros skipped (CSR), whole
 *                        neurons and their rows dropped (compacted), or a smaller network (from scratch) against the
 *                        model it stands beside (older records: 0)
 *
 * @param fastForm        the id of the method's {@link Method#fastForm()}
 * @param fastMaxAbsDiff  largest |fast - dense| output over the test set (must be below 1e-4)
 * @param timings         the fast form against the fastest dense form, timed in pairs, one entry per thread count
 *                        (fewest first; 1 and 2 by default)
 * @param fastArtifacts   the fast form's files in the artifact store, to take away ({@link
 *                        org.prunelab.core.inference.FastForm#export}): one SciPy CSR matrix per layer, or one
 *                        compacted network with its kept neurons' original indices
 * @param bestAccuracy    for a network trained as it is (the model at 0 %, a from-scratch, fine-tuned or lottery
 *                        network), the best test accuracy its training reached ({@link
 *                        org.prunelab.core.model.EpochMetrics#best}); null for a one-shot variant or an old record
 * @param bestIteration   the first iteration of its training that reached {@code bestAccuracy}; null with it
 */
public record EvaluationEvent(String runId, String modelId, String variantId, String dataset, Method method,
                              double percentage, long seed, Sparsity sparsity, long fastParameters, double testLoss,
                              double testAccuracy, String fastForm, double fastMaxAbsDiff, List<PairedTiming> timings,
                              int expectedVariants, String evaluatedBy, String evaluatedAt, List<String> fastArtifacts,
                              Stage stage, double removedShare, Double bestAccuracy, Long bestIteration) {

    public EvaluationEvent {
        stage = Stage.orOneShot(stage);
        // records written before timings were kept per thread count have none
        timings = timings == null ? List.of() : List.copyOf(timings);
    }

    /** The timing at the fewest threads (one, by default): the study's own setting. */
    public PairedTiming timing() {
        if (timings.isEmpty()) {
            throw new IllegalStateException(key() + " holds no timing (a record from before timings per thread count)");
        }
        return timings.get(0);
    }

    /** The timing at {@code threads}, if it was timed at that count. */
    public Optional<PairedTiming> timing(int threads) {
        return timings.stream().filter(t -> t.threads() == threads).findFirst();
    }

    /** The share of the model's weights the variant keeps (1 - {@link #removedShare}). */
    public double remainingShare() {
        return 1 - removedShare;
    }

    public String key() {
        return PrunedVariantEvent.key(runId, seed, method, percentage, stage);
    }
}
