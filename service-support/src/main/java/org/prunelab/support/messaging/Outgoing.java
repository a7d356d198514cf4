package org.prunelab.support.messaging;

import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** One keyed JSON record to write to an emitter's channel. */
public record Outgoing(Emitter<String> emitter, String key, String json) {

    /** Sends the record; completes when the broker has it. */
    public CompletionStage<Void> send() {
        return KeyedMessages.send(emitter, key, json);
    }
}
