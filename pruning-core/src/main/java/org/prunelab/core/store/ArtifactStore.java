package org.prunelab.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.prunelab.core.model.ModelArtifact;

/**
 * A content-addressed store of model artifacts in one directory: an artifact's id is the SHA-256 of its
 * bytes, its file is {@code <root>/<id>.npz}. Writes go to a temporary file in the same directory and are
 * renamed into place, so a reader never sees half a file; every read re-hashes the bytes, so a file
 * changed on disk is refused. Ids are checked against the hash pattern before they touch the file system.
 */
public final class ArtifactStore {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final String SUFFIX = ".npz";

    private final Path root;

    public ArtifactStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open artifact store at " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Stores the bytes and returns their id; storing the same bytes twice is a no-op. The bytes are on disk
     * (fsync) before the file appears under its id: a crash never leaves a truncated artifact behind a published
     * event, and the kernel's write-back of a run's ~200 MB of variants does not land later on the evaluator's timed
     * passes.
     */
    public String put(byte[] bytes) {
        String id = sha256(bytes);
        Path target = pathOf(id);
        if (Files.exists(target)) {
            return id;
        }
        try {
            replaceAtomically(target, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + id, e);
        }
        return id;
    }

    /**
     * Writes the bytes beside {@code target} and renames them onto it, so that a reader (or a crash) sees the old
     * file or the whole new one, never a part.
     *
     * @param durable whether the bytes are forced to the device before the rename (a process crash does not need it)
     */
    static void replaceAtomically(Path target, byte[] bytes, boolean durable) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        try {
            if (durable) {
                writeDurably(tmp, bytes);
            } else {
                Files.write(tmp, bytes);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes and forces the bytes to the device before returning. */
    static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Reads an artifact and checks that its bytes still hash to its id. */
    public byte[] get(String id) {
        Path path = pathOf(id);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArtifactException("artifact " + id + " is not in the store");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + id, e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(id)) {
            throw new ArtifactException("artifact " + id + " is tampered: its content hashes to " + actual);
        }
        return bytes;
    }

    /** Reads an artifact that an event names, also checking the hash the event carries. */
    public byte[] get(String id, String expectedSha256) {
        pathOf(id); // an id that is not one is refused as such, before any comparison
        if (expectedSha256 != null && !expectedSha256.equals(id)) {
            throw new ArtifactException("artifact " + id + " does not match the expected SHA-256 " + expectedSha256);
        }
        return get(id);
    }

    public String putModel(ModelArtifact model) {
        return put(model.toNpz());
    }

    public ModelArtifact getModel(String id) {
        return ModelArtifact.fromNpz(get(id));
    }

    public boolean contains(String id) {
        return Files.isRegularFile(pathOf(id));
    }

    /** The file of an artifact, for users who want to open it (e.g. with numpy). */
    public Path pathOf(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ArtifactException("'" + id + "' is not an artifact id (64 lowercase hex digits)");
        }
        Path p = root.resolve(id + SUFFIX).normalize();
        if (!p.getParent().equals(root)) { // cannot happen with a valid id; kept as the store's boundary check
            throw new ArtifactException("artifact path " + p + " is outside the store");
        }
        return p;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
