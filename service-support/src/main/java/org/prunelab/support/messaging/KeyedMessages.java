package org.prunelab.support.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.List;
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

    /** Acks {@code input} once every one of {@code writes} has completed; nacks it if any failed. */
    public static CompletionStage<Void> ackWhenWritten(Message<?> input, List<? extends CompletionStage<Void>> writes) {
        CompletableFuture<?>[] all = writes.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenCompose(v -> input.ack()).exceptionallyCompose(input::nack);
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
