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
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.events.PruneRequest;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.messaging.KeyedMessages;
import org.prunelab.core.metrics.MessageCounters;
import org.prunelab.pruner.service.PruningService;

/**
 * trained-models and prune-requests -> one pruned-variants record per method and percentage. The input is
 * acknowledged once every variant record is written; anything unreadable or failing is nacked with the reason
 * (dead-letter topic).
 */
@ApplicationScoped
public class PruneConsumer {
    static final String MODELS = "trained-models";
    static final String REQUESTS = "prune-requests";
    static final String VARIANTS = "pruned-variants";
    private static final Logger LOG = Logger.getLogger(PruneConsumer.class);

    private final PruningService pruning;
    private final Emitter<String> variants;
    private final MessageCounters counters;

    public PruneConsumer(PruningService pruning, MeterRegistry registry, @Channel(VARIANTS) Emitter<String> variants) {
        this.pruning = pruning;
        this.variants = variants;
        this.counters = new MessageCounters(registry);
    }

    @Incoming(MODELS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onTrainedModel(Message<String> message) {
        counters.consumed(MODELS);
        List<PrunedVariantEvent> out;
        try {
            TrainedModelEvent e = Json.read(message.getPayload(), TrainedModelEvent.class);
            PruneRequest r = new PruneRequest(e.runId(), e.modelId(), e.methods(), e.percentages()).complete();
            // the run's total counts the trainer's from-scratch networks too, if it trains them
            out = pruning.prune(r.runId(), r.modelId(), e.sha256(), r.methods(), r.percentages(),
                    e.expectedVariants());
        } catch (RuntimeException ex) {
            return refuse(message, ex, MODELS);
        }
        return publish(out, message);
    }

    @Incoming(REQUESTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onPruneRequest(Message<String> message) {
        counters.consumed(REQUESTS);
        List<PrunedVariantEvent> out;
        try {
            PruneRequest r = Json.read(message.getPayload(), PruneRequest.class).complete();
            out = pruning.prune(r.runId(), r.modelId(), null, r.methods(), r.percentages(),
                    ScratchBaseline.expectedVariants(r.methods(), r.percentages(), false));
        } catch (RuntimeException ex) {
            return refuse(message, ex, REQUESTS);
        }
        return publish(out, message);
    }

    private CompletionStage<Void> publish(List<PrunedVariantEvent> out, Message<String> input) {
        return KeyedMessages.ackWhenWritten(input,
                out.stream().map(v -> KeyedMessages.send(variants, v.key(), Json.write(v))).toList());
    }

    private CompletionStage<Void> refuse(Message<String> message, RuntimeException e, String channel) {
        LOG.warnf("pruning input refused or failed: %s", e.getMessage());
        counters.failed(channel);
        return message.nack(e);
    }
}
