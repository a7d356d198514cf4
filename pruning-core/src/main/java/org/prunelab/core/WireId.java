package org.prunelab.core;

import java.util.Arrays;

/** An enum constant's name on the wire (events, keys, files, metric tags), and the one way to read it back. */
public interface WireId {
    String id();

    /**
     * The constant whose id is {@code s} (case-insensitive, trimmed); anything else is refused with the known ids.
     *
     * @param what how a user's record calls the field, for the message
     */
    static <E extends WireId> E parse(E[] values, String s, String what) {
        for (E v : values) {
            if (v.id().equalsIgnoreCase(String.valueOf(s).trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + s + "'; known: "
                + String.join(", ", Arrays.stream(values).map(WireId::id).toList()));
    }
}
