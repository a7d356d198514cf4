package org.prunelab.trainer.service;

import java.util.List;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingJob;

/**
 * The records a finished job publishes: a model's event, the variants that are ready to evaluate, and the jobs that
 * follow from it (a lottery run's next round).
 */
public record JobOutput(List<TrainedModelEvent> models, List<PrunedVariantEvent> variants, List<TrainingJob> jobs) {
}
