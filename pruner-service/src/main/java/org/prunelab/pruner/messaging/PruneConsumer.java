package org.prunelab.pruner.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.events.PruneRequest;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.pruner.service.PruningService;
import org.prunelab.support.messaging.Inbox;
import org.prunelab.support.messaging.Outgoing;

/**
 * trained-models and prune-requests -> one pruned-variants record per method and percentage. The input is
 * acknowledged once every variant record is written; refused inputs go to the dead-letter topic with the reason
 * ({@link Inbox}).
 */
@ApplicationScoped
public class PruneConsumer {
    private final PruningService pruning;
    private final Inbox inbox;
    private final Emitter<String> variants;

    public PruneConsumer(PruningService pruning, MeterRegistry registry,
                         @Channel(Topics.PRUNED_VARIANTS) Emitter<String> variants) {
        this.pruning = pruning;
        this.inbox = new Inbox(registry);
        this.variants = variants;
    }

    @Incoming(Topics.TRAINED_MODELS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onTrainedModel(Message<String> message) {
        return inbox.handle(Topics.TRAINED_MODELS, message, json -> {
            TrainedModelEvent e = Json.read(json, TrainedModelEvent.class);
            PruneRequest r = new PruneRequest(e.runId(), e.modelId(), e.methods(), e.percentages()).complete();
            // the run's total counts the trainer's from-scratch networks too, if it trains them
            return publish(pruning.pruneOnce(r.runId(), r.modelId(), e.sha256(), r.methods(), r.percentages(),
                    e.expectedVariants()));
        });
    }

    @Incoming(Topics.PRUNE_REQUESTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onPruneRequest(Message<String> message) {
        return inbox.handle(Topics.PRUNE_REQUESTS, message, json -> {
            PruneRequest r = Json.read(json, PruneRequest.class).complete();
            return publish(pruning.pruneOnce(r.runId(), r.modelId(), null, r.methods(), r.percentages(),
                    ScratchBaseline.expectedVariants(r.methods(), r.percentages(), false)));
        });
    }

    private List<Outgoing> publish(List<PrunedVariantEvent> out) {
        return out.stream().map(v -> new Outgoing(variants, v.key(), Json.write(v))).toList();
    }
}
