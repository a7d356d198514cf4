package org.prunelab.core.pruning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.prunelab.core.WireId;

/**
 * What was done with a variant's mask: evaluated as pruned ({@link #ONE_SHOT}), retrained from the pruned weights
 * ({@link #FINE_TUNED}), or, in the lottery experiment, trained again from the rewound weights ({@link #REWOUND}: the
 * ticket, or with a random mask the random-mask control) or from fresh initial weights ({@link #REINITIALIZED}). The
 * lottery stages' masks come from iterative magnitude pruning (or at random), not from one pruning of the model.
 * Records without the field are one-shot.
 */
public enum Stage implements WireId {
    ONE_SHOT("one-shot", ""),
    FINE_TUNED("fine-tuned", "+ft"),
    REWOUND("rewound", "+rw"),
    REINITIALIZED("reinitialized", "+ri");

    /** The stages of the pruning grid (every method at every percentage); the others are the lottery's. */
    public static final java.util.List<Stage> GRID = java.util.List.of(ONE_SHOT, FINE_TUNED);

    private final String id;
    private final String suffix;

    Stage(String id, String suffix) {
        this.id = id;
        this.suffix = suffix;
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

    /** A short suffix for tables: "" for one-shot, "+ft" fine-tuned, "+rw" rewound, "+ri" reinitialised. */
    public String suffix() {
        return suffix;
    }

    /** The lottery experiment's stages, trained from a start other than the pruned weights. */
    public boolean lottery() {
        return this == REWOUND || this == REINITIALIZED;
    }
}
