package org.prunelab.core.pruning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.prunelab.core.WireId;

/**
 * Whether a variant is evaluated as pruned ({@link #ONE_SHOT}) or after retraining with its mask fixed
 * ({@link #FINE_TUNED}). The same method and percentage give one variant of each stage when the request asks for
 * fine-tuning; records without the field are one-shot.
 */
public enum Stage implements WireId {
    ONE_SHOT("one-shot"),
    FINE_TUNED("fine-tuned");

    private final String id;

    Stage(String id) {
        this.id = id;
    }

    /** The name in events, keys, files and metric tags. */
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
    public static Stage parse(String s) {
        return WireId.parse(values(), s, "stage");
    }

    /** The stage of a record that may predate the field. */
    public static Stage orOneShot(Stage s) {
        return s == null ? ONE_SHOT : s;
    }

    /** A short suffix for tables: "" for one-shot, "+ft" for fine-tuned. */
    public String suffix() {
        return this == FINE_TUNED ? "+ft" : "";
    }
}
