package org.prunelab.trainer.service;

import java.util.List;
import org.prunelab.core.events.JobKind;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Stage;

/**
 * What the ledger keeps of a finished training job: the job, and the model's event or the trained network's id and
 * sparsity. Every later delivery of the job is answered from it.
 *
 * @param model     for a model job, its event; else null
 * @param networkId for a from-scratch network, a fine-tuning or a lottery round, the trained network's artifact id;
 *                  else the model's
 */
public record JobResult(TrainingJob job, TrainedModelEvent model, String networkId, Sparsity sparsity,
                        List<EpochMetrics> history, double secondsPerEpoch) {

    /** The variant a scratch, fine-tune or lottery job produced, beside (or from) the seed's model {@code modelId}. */
    public PrunedVariantEvent variant(String modelId) {
        return new PrunedVariantEvent(job.runId(), modelId, networkId, networkId, job.training().dataset(),
                job.method(), job.percentage(), sparsity, job.seed(), job.expectedVariants(),
                job.kind() == JobKind.FINE_TUNE ? Stage.FINE_TUNED : job.kind() == JobKind.LOTTERY ? job.stage()
                : Stage.ONE_SHOT);
    }
}
