package org.prunelab.trainer.messaging;

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
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.support.messaging.Inbox;
import org.prunelab.support.messaging.KeyedMessages;
import org.prunelab.support.messaging.Outgoing;
import org.prunelab.trainer.service.TrainedRun;
import org.prunelab.trainer.service.TrainingService;

/**
 * training-requests -> the run's model to trained-models and (if the request asks for the baseline) its
 * from-scratch networks to pruned-variants; every epoch to training-progress. Acknowledged once all its records are
 * written; refused requests go to the dead-letter topic with the reason ({@link Inbox}).
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    private final TrainingService training;
    private final Inbox inbox;
    private final Emitter<String> models;
    private final Emitter<String> progress;
    private final Emitter<String> variants;

    public TrainingRequestConsumer(TrainingService training, MeterRegistry registry,
                                   @Channel(Topics.TRAINED_MODELS) Emitter<String> models,
                                   @Channel(Topics.TRAINING_PROGRESS) Emitter<String> progress,
                                   @Channel(Topics.PRUNED_VARIANTS) Emitter<String> variants) {
        this.training = training;
        this.inbox = new Inbox(registry);
        this.models = models;
        this.progress = progress;
        this.variants = variants;
    }

    @Incoming(Topics.TRAINING_REQUESTS)
    @Blocking // ordered: one request at a time, in order
    public CompletionStage<Void> onRequest(Message<String> message) {
        return inbox.handle(Topics.TRAINING_REQUESTS, message, json -> {
            TrainingRequest request = Json.read(json, TrainingRequest.class).complete();
            TrainedRun run = training.trainOnce(request,
                    p -> progress.send(KeyedMessages.of(p.runId(), Json.write(p))));
            List<Outgoing> out = new ArrayList<>();
            out.add(new Outgoing(models, run.model().runId(), Json.write(run.model())));
            run.scratch().forEach(v -> out.add(new Outgoing(variants, v.key(), Json.write(v))));
            return out;
        });
    }
}
