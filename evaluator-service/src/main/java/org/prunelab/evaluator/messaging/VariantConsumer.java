package org.prunelab.evaluator.messaging;

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
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.evaluator.service.EvaluationService;
import org.prunelab.support.messaging.Inbox;
import org.prunelab.support.messaging.Outgoing;

/**
 * pruned-variants -> evaluate once -> evaluations. One variant at a time (ordered), so timings never share the CPU
 * with another evaluation of this instance. Acknowledged once the evaluation record is written; refused variants go
 * to the dead-letter topic with the reason ({@link Inbox}).
 */
@ApplicationScoped
public class VariantConsumer {
    private final EvaluationService evaluation;
    private final Inbox inbox;
    private final Emitter<String> evaluations;

    public VariantConsumer(EvaluationService evaluation, MeterRegistry registry,
                           @Channel(Topics.EVALUATIONS) Emitter<String> evaluations) {
        this.evaluation = evaluation;
        this.inbox = new Inbox(registry);
        this.evaluations = evaluations;
    }

    @Incoming(Topics.PRUNED_VARIANTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onVariant(Message<String> message) {
        return inbox.handle(Topics.PRUNED_VARIANTS, message, json -> {
            EvaluationService.Outcome outcome = evaluation.evaluateOnce(Json.read(json, PrunedVariantEvent.class));
            return List.of(new Outgoing(evaluations, outcome.key(), outcome.json()));
        });
    }
}
