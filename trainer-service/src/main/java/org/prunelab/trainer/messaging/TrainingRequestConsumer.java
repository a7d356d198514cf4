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
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.support.messaging.Inbox;
import org.prunelab.support.messaging.KeyedMessages;
import org.prunelab.support.messaging.Outgoing;
import org.prunelab.trainer.service.JobOutput;
import org.prunelab.trainer.service.TrainingService;

/**
 * training-requests -> the run's first jobs to training-jobs; training-jobs (one consumer group over every trainer)
 * -> a model to trained-models, a from-scratch or fine-tuned network to pruned-variants, every epoch to
 * training-progress. Each input is acknowledged once all its records are written; refused ones go to the dead-letter
 * topic with the reason ({@link Inbox}). A job a trainer was killed in is not acknowledged: the group hands it to
 * another trainer (or to this one restarted), which resumes it from its checkpoint.
 */
@ApplicationScoped
public class TrainingRequestConsumer {
    /** The outgoing channel to the jobs topic: the incoming one has the topic's name. */
    static final String JOBS_OUT = "training-jobs-out";

    private final TrainingService training;
    private final Inbox inbox;
    private final Emitter<String> jobs;
    private final Emitter<String> models;
    private final Emitter<String> progress;
    private final Emitter<String> variants;

    public TrainingRequestConsumer(TrainingService training, MeterRegistry registry,
                                   @Channel(JOBS_OUT) Emitter<String> jobs,
                                   @Channel(Topics.TRAINED_MODELS) Emitter<String> models,
                                   @Channel(Topics.TRAINING_PROGRESS) Emitter<String> progress,
                                   @Channel(Topics.PRUNED_VARIANTS) Emitter<String> variants) {
        this.training = training;
        this.inbox = new Inbox(registry);
        this.jobs = jobs;
        this.models = models;
        this.progress = progress;
        this.variants = variants;
    }

    @Incoming(Topics.TRAINING_REQUESTS)
    @Blocking // ordered: one request at a time, in order
    public CompletionStage<Void> onRequest(Message<String> message) {
        return inbox.handle(Topics.TRAINING_REQUESTS, message, json -> {
            TrainingRequest request = Json.read(json, TrainingRequest.class).complete();
            return training.plan(request).stream().map(j -> new Outgoing(jobs, j.key(), Json.write(j))).toList();
        });
    }

    @Incoming(Topics.TRAINING_JOBS)
    @Blocking // ordered: one job at a time; trainers share the jobs by the topic's partitions
    public CompletionStage<Void> onJob(Message<String> message) {
        return inbox.handle(Topics.TRAINING_JOBS, message, json -> {
            TrainingJob job = Json.read(json, TrainingJob.class);
            JobOutput out = training.runOnce(job, p -> progress.send(KeyedMessages.of(p.runId(), Json.write(p))));
            List<Outgoing> records = new ArrayList<>();
            out.models().forEach(m -> records.add(new Outgoing(models, m.runId(), Json.write(m))));
            out.variants().forEach(v -> records.add(new Outgoing(variants, v.key(), Json.write(v))));
            out.jobs().forEach(j -> records.add(new Outgoing(jobs, j.key(), Json.write(j))));
            return records;
        });
    }
}
