package org.prunelab.core.store;

/** An artifact is missing, tampered, or named by an id that is not one. */
public class ArtifactException extends RuntimeException {
    public ArtifactException(String message) {
        super(message);
    }
}
