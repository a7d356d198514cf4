package org.prunelab.core.events;

import org.prunelab.core.model.EpochMetrics;

/**
 * Published to {@code training-progress} after every epoch the trainer runs for a run.
 *
 * @param network what trains: {@link #MODEL} for the run's model, or "scratch 50%" and the like for a from-scratch
 *                baseline network (records written before this field existed read as null: the model)
 */
public record TrainingProgress(String runId, String dataset, String network, int epoch, int epochs,
                               EpochMetrics metrics) {
    public static final String MODEL = "model";

    /** True for the run's model (not a getter, so that it stays out of the JSON). */
    public boolean describesModel() {
        return network == null || MODEL.equals(network);
    }
}
