package org.prunelab.evaluator.messaging;

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
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.messaging.KeyedMessages;
import org.prunelab.core.metrics.MessageCounters;
import org.prunelab.evaluator.service.EvaluationMetrics;
import org.prunelab.evaluator.service.EvaluationService;

/**
 * pruned-variants -> evaluate -> evaluations. One variant at a time (ordered), so timings never share the CPU
 * with another evaluation of this instance. Acknowledged once the evaluation record is written.
 */
@ApplicationScoped
public class VariantConsumer {
    static final String VARIANTS = "pruned-variants";
    static final String EVALUATIONS = "evaluations";
    private static final Logger LOG = Logger.getLogger(VariantConsumer.class);

    private final EvaluationService evaluation;
    private final EvaluationMetrics metrics;
    private final MessageCounters counters;
    private final Emitter<String> evaluations;

    public VariantConsumer(EvaluationService evaluation, EvaluationMetrics metrics, MeterRegistry registry,
                           @Channel(EVALUATIONS) Emitter<String> evaluations) {
        this.evaluation = evaluation;
        this.metrics = metrics;
        this.counters = new MessageCounters(registry);
        this.evaluations = evaluations;
    }

    @Incoming(VARIANTS)
    @Blocking // ordered: one message at a time, in order
    public CompletionStage<Void> onVariant(Message<String> message) {
        counters.consumed(VARIANTS);
        EvaluationService.Outcome outcome;
        try {
            outcome = evaluation.evaluateOnce(Json.read(message.getPayload(), PrunedVariantEvent.class));
        } catch (RuntimeException e) {
            LOG.warnf("variant refused or failed: %s", e.getMessage());
            counters.failed(VARIANTS);
            metrics.failed();
            return message.nack(e);
        }
        if (outcome.fresh()) {
            metrics.record(Json.read(outcome.json(), EvaluationEvent.class));
        } else {
            metrics.duplicate();
        }
        return KeyedMessages.sendThenAck(evaluations, outcome.key(), outcome.json(), message);
    }
}
