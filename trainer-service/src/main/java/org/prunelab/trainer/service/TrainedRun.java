package org.prunelab.trainer.service;

import java.util.List;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingRequest;

/**
 * What the trainer recorded for a run, so that a repeated or redelivered request is answered with the same records
 * instead of a second training: the completed request, the model's event and the from-scratch networks' events.
 */
public record TrainedRun(TrainingRequest request, TrainedModelEvent model, List<PrunedVariantEvent> scratch) {
}
