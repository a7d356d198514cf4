package org.prunelab.trainer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.messaging.KeyedMessages;
import org.prunelab.core.metrics.MessageCounters;
import org.prunelab.trainer.service.TrainingService;

/**
 * training-requests -> train the model and (if the request asks for the baseline) the from-scratch networks -> the
 * model to trained-models, the from-scratch networks to pruned-variants. Every epoch goes to training-progress. The
 * request is acknowledged only once all its records are written. A request that cannot be read, is invalid or fails
 * is nacked with the reason, which the dead-letter-queue failure strategy turns into a record on the dead-letter
 * topic.
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
        TrainedModelEvent model;
        List<PrunedVariantEvent> scratch = new ArrayList<>();
        try {
            TrainingRequest request = Json.read(message.getPayload(), TrainingRequest.class).complete();
            Consumer<TrainingProgress> report = p -> progress.send(KeyedMessages.of(p.runId(), Json.write(p)));
            model = training.train(request, report);
            // The from-scratch networks train before anything is published, so that the evaluator never times
            // inference while this service trains on the same cores: contended timings skew the speed-ups.
            for (double p : request.baseline() ? ScratchBaseline.percentages(request.percentages()) : List.<Double>of()) {
                scratch.add(training.trainBaseline(request, model, p, report));
            }
        } catch (RuntimeException e) {
            LOG.warnf("training request refused or failed: %s", e.getMessage());
            counters.failed(REQUESTS);
            return message.nack(e);
        }
        List<CompletionStage<Void>> writes = new ArrayList<>();
        writes.add(KeyedMessages.send(models, model.runId(), Json.write(model)));
        scratch.forEach(v -> writes.add(KeyedMessages.send(variants, v.key(), Json.write(v))));
        return KeyedMessages.ackWhenWritten(message, writes);
    }
}
