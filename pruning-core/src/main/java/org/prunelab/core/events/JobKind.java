package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.prunelab.core.WireId;

/**
 * What a training job trains: a seed's model, a from-scratch baseline network, a pruned variant's fine-tuning, or a
 * lottery round's network (the rewound ticket or one of its controls).
 */
public enum JobKind implements WireId {
    MODEL("model"),
    SCRATCH("scratch"),
    FINE_TUNE("fine-tune"),
    LOTTERY("lottery");

    private final String id;

    JobKind(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    @JsonCreator
    public static JobKind parse(String s) {
        return WireId.parse(values(), s, "job kind");
    }
}
