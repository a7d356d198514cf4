package org.prunelab.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesByContentHashAndReadsBack() throws IOException {
        ArtifactStore store = new ArtifactStore(dir);
        byte[] bytes = "model bytes".getBytes(StandardCharsets.UTF_8);
        String id = store.put(bytes);
        assertEquals(ArtifactStore.sha256(bytes), id);
        assertEquals(id, store.put(bytes));
        assertArrayEquals(bytes, store.get(id, id));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void refusesTamperedMissingAndMismatchedArtifacts() throws IOException {
        ArtifactStore store = new ArtifactStore(dir);
        String id = store.put(new byte[]{1, 2, 3});
        Files.write(store.pathOf(id), new byte[]{1, 2, 4});
        assertTrue(assertThrows(ArtifactException.class, () -> store.get(id)).getMessage().contains("tampered"));
        String absent = "0".repeat(64);
        assertTrue(assertThrows(ArtifactException.class, () -> store.get(absent)).getMessage().contains("not in the store"));
        String other = store.put(new byte[]{9});
        assertThrows(ArtifactException.class, () -> store.get(other, id));
    }

    @Test
    void idsThatCouldLeaveTheStoreAreRefused() {
        ArtifactStore store = new ArtifactStore(dir.resolve("store"));
        for (String id : new String[]{"../secret", "/etc/passwd", "..", "", null, "A".repeat(64), "a".repeat(63) + "/"}) {
            ArtifactException e = assertThrows(ArtifactException.class, () -> store.get(id));
            assertTrue(e.getMessage().contains("is not an artifact id"), e.getMessage());
        }
    }
}
