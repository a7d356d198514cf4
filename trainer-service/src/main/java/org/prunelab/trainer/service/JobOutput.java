package org.prunelab.trainer.service;

import java.util.List;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;

/** The records a finished job publishes: a model's event, and the variants that are ready to evaluate. */
public record JobOutput(List<TrainedModelEvent> models, List<PrunedVariantEvent> variants) {
}
