package org.prunelab.core.data;

/** A dataset file is missing, malformed or inconsistent; the message names the file. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
