package org.prunelab.support.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * For the services' own tests (this module's test-jar): a record delivered to a channel of SmallRye's in-memory
 * connector as the broker would deliver it, and what the consumer did with it.
 */
public final class Deliveries {
    private Deliveries() {
    }

    /** Sends one record; returns null once the consumer acknowledged it, the reason once it nacked it. */
    public static Throwable deliver(InMemoryConnector connector, String channel, String json) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        connector.<Message<String>>source(channel).send(Message.of(json)
                .withAck(() -> {
                    outcome.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    outcome.complete(t);
                    return CompletableFuture.completedFuture(null);
                }));
        return outcome.get(2, TimeUnit.MINUTES);
    }

    /** Delivers a record that must be refused (nacked, so dead-lettered) with a reason containing {@code reason}. */
    public static void assertRefused(InMemoryConnector connector, String channel, String json, String reason)
            throws Exception {
        Throwable t = deliver(connector, channel, json);
        assertTrue(t != null && t.getMessage() != null && t.getMessage().contains(reason), json + " -> " + t);
    }
}
