package org.prunelab.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;

class ModelArtifactTest {
    @TempDir
    Path dir;

    static Mlp randomMlp(long seed, int... sizes) {
        Random r = new Random(seed);
        List<Layer> layers = new java.util.ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            float[] w = new float[sizes[k] * sizes[k + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            layers.add(new Layer(sizes[k], sizes[k + 1], w));
        }
        return new Mlp(layers);
    }

    static ModelArtifact prunedArtifact(Mlp parent, Method method, double p) {
        TrainingConfig cfg = new TrainingConfig("mnist", List.of(20, 12), 1, 64, 1e-3, 7, 0);
        ModelManifest trained = ModelManifest.trained("run-1", parent, cfg, List.of(new EpochMetrics(1, 0.5, 0.4, 0.9, 1.0)));
        Mlp pruned = method.apply(parent, p, 0);
        return new ModelArtifact(pruned, trained.pruned(new PruningInfo("ab".repeat(32), method, p, Sparsity.of(pruned))));
    }

    @Test
    void roundTripKeepsWeightsAndManifestAndBytesAreDeterministic() {
        ModelArtifact a = prunedArtifact(randomMlp(1, 30, 20, 12, 10), Method.WEIGHT, 90);
        byte[] npz = a.toNpz();
        ModelArtifact back = ModelArtifact.fromNpz(npz);
        assertEquals(a.mlp(), back.mlp());
        assertEquals(a.manifest(), back.manifest());
        assertArrayEquals(npz, a.toNpz(), "same model, same bytes, same content address");
    }

    @Test
    void npyHeaderIsPaddedAsNumpyRequires() {
        byte[] npy = Npz.npy(Npz.Raw.of(new Npz.Array(3, 4, new float[12])));
        int headerLen = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals('\n', npy[10 + headerLen - 1]);
        assertEquals(10 + headerLen + 48, npy.length);
    }

    @Test
    void refusesWhatIsNotAModel() {
        assertThrows(ModelFormatException.class, () -> ModelArtifact.fromNpz("not a zip".getBytes(StandardCharsets.UTF_8)));
        byte[] noManifest = Npz.write(Map.of("layer_0", new Npz.Array(1, 1, new float[1])), Map.of());
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelArtifact.fromNpz(noManifest))
                .getMessage().contains("manifest.json"));
        byte[] badNpy = Npz.write(Map.of(), Map.of("layer_0.npy", "garbage".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ModelFormatException.class, () -> Npz.read(badNpy));
    }

    /** The promise to Python users: numpy.load opens a pruned artifact with its shapes and zeros. */
    @Test
    void numpyOpensAPrunedArtifact() throws IOException, InterruptedException {
        Mlp parent = randomMlp(2, 784, 100, 50, 10);
        ModelArtifact a = prunedArtifact(parent, Method.WEIGHT, 90);
        ArtifactStore store = new ArtifactStore(dir.resolve("store"));
        Path file = store.pathOf(store.putModel(a));
        String script = String.join("\n",
                "import json, sys, numpy as np",
                "z = np.load(sys.argv[1])",
                "m = json.loads(z['manifest.json'])",
                "for name in m['arrays']:",
                "    w = z[name]",
                "    print(name, w.dtype, w.shape[0], w.shape[1], int((w == 0).sum()))",
                "print('method', m['pruning']['method'], m['pruning']['percentage'])");
        Path py = Files.writeString(dir.resolve("check.py"), script);
        Process proc = new ProcessBuilder(System.getenv().getOrDefault("PRUNELAB_PYTHON", "python3"), py.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
        String[] lines = out.strip().split("\n");
        // int(90 * n / 100) zeros in each hidden layer; the output layer is untouched
        assertEquals("layer_0 float32 784 100 " + (int) (0.9 * 78400), lines[0]);
        assertEquals("layer_1 float32 100 50 4500", lines[1]);
        assertEquals("layer_2 float32 50 10 0", lines[2]);
        assertEquals("method weight 90.0", lines[3]);
    }
}
