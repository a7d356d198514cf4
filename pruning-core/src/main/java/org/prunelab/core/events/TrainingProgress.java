package org.prunelab.core.events;

import org.prunelab.core.model.EpochMetrics;

/** Published to {@code training-progress} after every epoch of a run's training. */
public record TrainingProgress(String runId, String dataset, int epoch, int epochs, EpochMetrics metrics) {
}
