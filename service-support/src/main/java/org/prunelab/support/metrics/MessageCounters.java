package org.prunelab.support.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every service counts of its inputs, per channel: messages consumed, and messages that failed and were
 * therefore dead-lettered (every consumed channel uses the dead-letter-queue failure strategy, so the two are the
 * same events; both names are exported so dashboards can say what they mean).
 */
public final class MessageCounters {
    private final MeterRegistry registry;

    public MessageCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void consumed(String channel) {
        counter("lab_messages_consumed", "Messages consumed", channel).increment();
    }

    public void failed(String channel) {
        counter("lab_messages_failed", "Messages whose processing failed", channel).increment();
        counter("lab_messages_dead_lettered", "Messages sent to the dead-letter topic", channel).increment();
    }

    private Counter counter(String name, String description, String channel) {
        return Counter.builder(name).description(description).tag("channel", channel).register(registry);
    }
}
