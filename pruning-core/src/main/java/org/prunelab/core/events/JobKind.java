package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a training job trains: a seed's model, a from-scratch baseline network, or a pruned variant's fine-tuning. */
public enum JobKind {
    MODEL("model"),
    SCRATCH("scratch"),
    FINE_TUNE("fine-tune");

    private final String id;

    JobKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    @JsonCreator
    public static JobKind parse(String s) {
        for (JobKind k : values()) {
            if (k.id.equalsIgnoreCase(String.valueOf(s).trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown job kind '" + s + "'; known: model, scratch, fine-tune");
    }
}
