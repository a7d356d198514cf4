package org.prunelab.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The results already computed, one file per idempotency key (run/method/percentage), beside the artifact store and
 * shared like it by every replica. A redelivered or repeated variant finds its result here and is answered with the
 * same record instead of a second evaluation, whichever replica computed the first.
 *
 * <p>The first writer wins: a result is put in place with a hard link, which the file system creates atomically
 * and refuses when the name exists, so two replicas racing on one key end up publishing the same record.
 */
public final class ResultLedger {
    private final Path dir;

    public ResultLedger(Path storeRoot) {
        this.dir = storeRoot.resolve("results");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The result recorded for a key, if any. */
    public Optional<String> find(String key) {
        Path p = fileOf(key);
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read result " + key, e);
        }
    }

    /**
     * The records of one kind: those that read as {@code type} and that {@code isOne} accepts (the ledger holds the
     * trainer's, the pruner's and the evaluator's records side by side), in no particular order.
     */
    public <T> java.util.List<T> all(Class<T> type, java.util.function.Predicate<T> isOne) {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (String json : all()) {
            try {
                T record = org.prunelab.core.Json.read(json, type);
                if (isOne.test(record)) {
                    out.add(record);
                }
            } catch (IllegalArgumentException anotherKind) {
                // a record of another kind
            }
        }
        return out;
    }

    private java.util.List<String> all() {
        try (var files = Files.list(dir)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                out.add(Files.readString(p));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the results in " + dir, e);
        }
    }

    /** Records a result unless one is there already; returns the result that holds for the key. */
    public String recordIfAbsent(String key, String json) {
        Path target = fileOf(key);
        try {
            Path tmp = Files.createTempFile(dir, ".incoming-", ".tmp");
            try {
                ArtifactStore.writeDurably(tmp, json.getBytes(StandardCharsets.UTF_8));
                try {
                    Files.createLink(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    // another delivery or replica recorded this key first: its result holds
                } catch (UnsupportedOperationException e) {
                    moveUnlessPresent(tmp, target); // a file system without hard links
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Files.readString(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record result " + key, e);
        }
    }

    private static void moveUnlessPresent(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target);
        } catch (FileAlreadyExistsException e) {
            // recorded first by another writer
        }
    }

    private Path fileOf(String key) {
        return dir.resolve(ArtifactStore.sha256(key.getBytes(StandardCharsets.UTF_8)) + ".json");
    }
}
