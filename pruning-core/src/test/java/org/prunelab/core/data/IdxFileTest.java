package org.prunelab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(body);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(b);
        }
        return bytes.toByteArray();
    }

    /** Writes a 2-image 2x2 dataset split under dir/name. */
    static void writeSplit(Path root, String name, String split, int labelCount, boolean gz) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        byte[] images = idx(0x803, new int[]{2, 2, 2}, new byte[]{0, (byte) 255, 51, 102, 1, 2, 3, 4});
        byte[] labels = idx(0x801, new int[]{labelCount}, new byte[labelCount]);
        String suffix = gz ? ".gz" : "";
        Files.write(d.resolve(split + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
        Files.write(d.resolve(split + "-labels-idx1-ubyte" + suffix), gz ? gzip(labels) : labels);
    }

    @Test
    void readsRawAndGzipAlike() throws IOException {
        byte[] b = idx(0x803, new int[]{1, 2, 3}, new byte[]{1, 2, 3, 4, 5, 6});
        Files.write(dir.resolve("raw"), b);
        Files.write(dir.resolve("raw.gz"), gzip(b));
        for (String f : new String[]{"raw", "raw.gz"}) {
            IdxFile idx = IdxFile.read(dir.resolve(f), 3);
            assertEquals(3, idx.rank());
            assertEquals(2, idx.dim(1));
            assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 6}, idx.data());
        }
    }

    @Test
    void refusesWrongMagicNamingTheFile() throws IOException {
        Path f = dir.resolve("bad-magic");
        Files.write(f, idx(0x801, new int[]{4}, new byte[4]));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFile.read(f, 3));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        Files.write(f, idx(0x0c03, new int[]{1, 1, 1}, new byte[4])); // float elements, not bytes
        assertThrows(DatasetException.class, () -> IdxFile.read(f, 3));
    }

    @Test
    void refusesTruncatedAndOverlongFiles() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, idx(0x803, new int[]{2, 2, 2}, new byte[7]));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxFile.read(f, 3));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(f, new byte[]{0, 0});
        assertThrows(DatasetException.class, () -> IdxFile.read(f, 3));
        Files.write(f, idx(0x803, new int[]{1, 1, 1}, new byte[2]));
        assertTrue(assertThrows(DatasetException.class, () -> IdxFile.read(f, 3)).getMessage().contains("trailing"));
    }

    @Test
    void datasetScalesPixelsAndChecksLabelCount() throws IOException {
        writeSplit(dir, "mnist", "t10k", 2, true);
        LabeledImages test = new Datasets(dir).test("mnist");
        assertEquals(2, test.count());
        assertEquals(4, test.features());
        assertEquals(0f, test.pixels()[0]);
        assertEquals(1f, test.pixels()[1]);
        assertEquals(0.2f, test.pixels()[2], 1e-7);

        writeSplit(dir, "fashion-mnist", "train", 3, false);
        DatasetException e = assertThrows(DatasetException.class, () -> new Datasets(dir).train("fashion-mnist"));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("2 images"), e.getMessage());
    }

    @Test
    void unknownDatasetAndMissingFilesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Datasets(dir).train("cifar"));
        assertTrue(e.getMessage().contains("mnist"), e.getMessage());
        DatasetException missing = assertThrows(DatasetException.class, () -> new Datasets(dir).train("mnist"));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }
}
