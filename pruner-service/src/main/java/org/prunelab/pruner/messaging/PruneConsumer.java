package org.prunelab.pruner.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.prunelab.core.Json;
import org.prunelab.core.events.PruneRequest;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.StudyPlan;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.pruner.service.PruningService;
import org.prunelab.support.messaging.Inbox;
import org.prunelab.support.messaging.Outgoing;

/**
 * trained-models and prune-requests -> one pruned-variants record per method and percentage, and for a run that asks
 * for fine-tuning one training-jobs record per variant (its retraining with the mask fixed). The input is
 * acknowledged once every variant record is written; refused inputs go to the dead-letter topic with the reason
 * ({@link Inbox}).
 */
@ApplicationScoped
public class PruneConsumer {
    private final PruningService pruning;
    private final Inbox inbox;
    private final Emitter<String> variants;
    private final Emitter<String> jobs;

    public PruneConsumer(PruningService pruning, MeterRegistry registry,
                         @Channel(Topics.PRUNED_VARIANTS) Emitter<String> variants,
                         @Channel(Topics.TRAINING_JOBS) Emitter<String> jobs) {
        this.pruning = pruning;
        this.inbox = new Inbox(registry);
        this.variants = variants;
        this.jobs = jobs;
    }

    @Incoming(Topics.TRAINED_MODELS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onTrainedModel(Message<String> message) {
        return inbox.handle(Topics.TRAINED_MODELS, message, json -> {
            TrainedModelEvent e = Json.read(json, TrainedModelEvent.class);
            PruneRequest r = new PruneRequest(e.runId(), e.modelId(), e.methods(), e.percentages()).complete();
            // the run's total counts the trainer's from-scratch and fine-tuned networks too, if it trains them
            List<PrunedVariantEvent> pruned = pruning.pruneOnce(r.runId(), r.modelId(), e.sha256(), r.methods(),
                    r.percentages(), e.expectedVariants());
            List<Outgoing> out = new ArrayList<>(publish(pruned));
            if (e.fineTune().enabled()) {
                // each pruned variant's fine-tuning is a training job, shared by the trainers like any other
                for (PrunedVariantEvent v : pruned) {
                    TrainingJob job = TrainingJob.fineTune(v, e.fineTune().config(e.training()));
                    out.add(new Outgoing(jobs, job.key(), Json.write(job)));
                }
            }
            return out;
        });
    }

    @Incoming(Topics.PRUNE_REQUESTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onPruneRequest(Message<String> message) {
        return inbox.handle(Topics.PRUNE_REQUESTS, message, json -> {
            PruneRequest r = Json.read(json, PruneRequest.class).complete();
            return publish(pruning.pruneOnce(r.runId(), r.modelId(), null, r.methods(), r.percentages(),
                    StudyPlan.expectedVariants(r.methods(), r.percentages(), false, 1, FineTuning.NONE)));
        });
    }

    private List<Outgoing> publish(List<PrunedVariantEvent> out) {
        return out.stream().map(v -> new Outgoing(variants, v.key(), Json.write(v))).toList();
    }
}
