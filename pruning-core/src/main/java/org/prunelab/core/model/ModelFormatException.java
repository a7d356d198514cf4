package org.prunelab.core.model;

/** A model artifact's bytes are not a model this laboratory can read. */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }
}
