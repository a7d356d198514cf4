package org.prunelab.core.events;

import org.prunelab.core.model.EpochMetrics;

/**
 * Published to {@code training-progress} after every epoch the trainer runs for a run.
 *
 * @param network what trains: {@link #MODEL} for the run's model, or "scratch 50%" and the like for a from-scratch
 *                baseline network, "weight 90% fine-tuned" for a fine-tuning (records written before this field
 *                existed read as null: the model)
 * @param seed    the seed of the run's model the network belongs to (null in older records)
 * @param trainer the trainer instance that trained the epoch (host-pid; null in older records)
 */
public record TrainingProgress(String runId, String dataset, String network, int epoch, int epochs,
                               EpochMetrics metrics, Long seed, String trainer) {
    public static final String MODEL = "model";

    /** True for the run's model (not a getter, so that it stays out of the JSON). */
    public boolean describesModel() {
        return network == null || MODEL.equals(network);
    }
}
