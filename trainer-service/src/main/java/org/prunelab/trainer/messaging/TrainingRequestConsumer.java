package org.prunelab.trainer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.messaging.KeyedMessages;
import org.prunelab.core.metrics.MessageCounters;
import org.prunelab.trainer.service.TrainingService;

/**
 * training-requests -> train -> trained-models, then (if the request asks for the baseline) the from-scratch networks
 * -> pruned-variants. The request is acknowledged only once the trained-model event is
 * written. A request that cannot be read, is invalid or fails is nacked with the reason, which the
 * dead-letter-queue failure strategy turns into a record on the dead-letter topic.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    static final String REQUESTS = "training-requests";
    static final String MODELS = "trained-models";
    static final String PROGRESS = "training-progress";
    static final String VARIANTS = "pruned-variants";
    private static final Logger LOG = Logger.getLogger(TrainingRequestConsumer.class);

    private final TrainingService training;
    private final Emitter<String> models;
    private final Emitter<String> progress;
    private final Emitter<String> variants;

    private final MessageCounters counters;

    public TrainingRequestConsumer(TrainingService training, MeterRegistry registry,
                                   @Channel(MODELS) Emitter<String> models, @Channel(PROGRESS) Emitter<String> progress,
                                   @Channel(VARIANTS) Emitter<String> variants) {
        this.training = training;
        this.counters = new MessageCounters(registry);
        this.models = models;
        this.progress = progress;
        this.variants = variants;
    }

    @Incoming(REQUESTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onRequest(Message<String> message) {
        counters.consumed(REQUESTS);
        TrainingRequest request;
        TrainedModelEvent event;
        try {
            request = Json.read(message.getPayload(), TrainingRequest.class).complete();
            event = training.train(request, p -> progress.send(KeyedMessages.of(p.runId(), Json.write(p))));
        } catch (RuntimeException e) {
            LOG.warnf("training request refused or failed: %s", e.getMessage());
            counters.failed(REQUESTS);
            return message.nack(e);
        }
        if (!request.baseline()) {
            return KeyedMessages.sendThenAck(models, event.runId(), Json.write(event), message);
        }
        // the pruner starts on the trained model while the from-scratch networks train, one after the other
        try {
            KeyedMessages.send(models, event.runId(), Json.write(event)).toCompletableFuture().join();
            for (double p : ScratchBaseline.percentages(request.percentages())) {
                PrunedVariantEvent v = training.trainBaseline(request, event, p);
                KeyedMessages.send(variants, v.key(), Json.write(v)).toCompletableFuture().join();
            }
        } catch (RuntimeException e) {
            LOG.warnf("run %s: from-scratch baseline failed: %s", event.runId(), e.getMessage());
            counters.failed(REQUESTS);
            return message.nack(e);
        }
        return message.ack();
    }
}
