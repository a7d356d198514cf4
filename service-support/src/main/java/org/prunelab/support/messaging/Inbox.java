package org.prunelab.support.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.prunelab.support.metrics.MessageCounters;

/**
 * The consumer skeleton every service shares, so that a handler is only "parse, work, publish": count the input,
 * run the work, and either write what it returns and acknowledge the input once every record is written
 * (at-least-once), or nack the input with the reason the work gave. Every consumed channel uses the
 * dead-letter-queue failure strategy, which turns that nack into a dead-letter record carrying the reason.
 */
public final class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);

    /** A handler's work: from the input's JSON to the records to write; a RuntimeException refuses the input. */
    @FunctionalInterface
    public interface Work {
        List<Outgoing> apply(String json);
    }

    private final MessageCounters counters;

    public Inbox(MeterRegistry registry) {
        this.counters = new MessageCounters(registry);
    }

    public CompletionStage<Void> handle(String channel, Message<String> message, Work work) {
        counters.consumed(channel);
        List<Outgoing> out;
        try {
            out = work.apply(message.getPayload());
        } catch (RuntimeException e) {
            LOG.warnf("%s: record refused or failed: %s", channel, e.getMessage());
            counters.failed(channel);
            return message.nack(e);
        }
        return KeyedMessages.ackWhenWritten(message, out.stream().map(Outgoing::send).toList());
    }
}
