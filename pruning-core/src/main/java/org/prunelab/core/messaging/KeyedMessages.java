package org.prunelab.core.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Outgoing Kafka records with a key, and the at-least-once rule: ack the input only once the output is written. */
public final class KeyedMessages {
    private KeyedMessages() {
    }

    public static Message<String> of(String key, String json) {
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }

    /** Sends one record; completes (and acks {@code input}) when the broker has it, nacks on failure. */
    public static CompletionStage<Void> sendThenAck(Emitter<String> emitter, String key, String json, Message<?> input) {
        return send(emitter, key, json).thenCompose(v -> input.ack())
                .exceptionallyCompose(t -> input.nack(t));
    }

    /** Sends one record and completes when the broker acknowledges it. */
    public static CompletionStage<Void> send(Emitter<String> emitter, String key, String json) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        emitter.send(of(key, json).withAck(() -> {
            written.complete(null);
            return CompletableFuture.completedFuture(null);
        }).withNack(t -> {
            written.completeExceptionally(t);
            return CompletableFuture.completedFuture(null);
        }));
        return written;
    }
}
