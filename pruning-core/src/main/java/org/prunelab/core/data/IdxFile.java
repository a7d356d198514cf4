package org.prunelab.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format used by MNIST and Fashion-MNIST (raw or gzip-compressed, detected by content).
 *
 * <p>An IDX file starts with a magic number whose third byte is the element type (0x08 = unsigned byte) and
 * whose fourth byte is the number of dimensions, followed by one big-endian int per dimension.
 * Anything else, including a truncated body, fails with a {@link DatasetException} naming the file.
 */
public final class IdxFile {
    private static final int UNSIGNED_BYTE = 0x08;

    private final Path path;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(Path path, int[] dims, byte[] data) {
        this.path = path;
        this.dims = dims;
        this.data = data;
    }

    /** Reads an IDX file of unsigned bytes with the expected number of dimensions. */
    public static IdxFile read(Path path, int expectedRank) {
        if (!Files.isRegularFile(path)) {
            throw new DatasetException(path + ": file not found");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(path), 1 << 16))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new DatasetException(path + ": empty or truncated header");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedRank) {
                throw new DatasetException(String.format(
                        "%s: bad magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                        path, magic, (UNSIGNED_BYTE << 8) | expectedRank, expectedRank));
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new DatasetException(path + ": dimension " + i + " is " + dims[i]);
                }
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new DatasetException(path + ": " + size + " elements is more than this reader supports");
            }
            byte[] data = new byte[(int) size];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new DatasetException(path + ": truncated, header announces " + size + " elements");
            }
            if (in.read() != -1) {
                throw new DatasetException(path + ": trailing bytes after the " + size + " announced elements");
            }
            return new IdxFile(path, dims, data);
        } catch (IOException e) {
            throw new DatasetException(path + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    public Path path() {
        return path;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int rank() {
        return dims.length;
    }

    /** The raw unsigned bytes in row-major order. */
    public byte[] data() {
        return data;
    }
}
