package org.prunelab.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.Npz;
import org.prunelab.core.pruning.Method;

/** The exported fast forms, opened as a user would: SciPy's load_npz for CSR, NumPy for the compacted network. */
class FastFormExportTest {
    @TempDir
    Path dir;

    @Test
    void csrLayersOpenWithScipyAndGiveTheDenseOutputs() throws Exception {
        Mlp dense = FastFormsTest.randomMlp(3, 30, 20, 12, 10);
        Mlp pruned = Method.WEIGHT.apply(dense, 70, 0);
        List<byte[]> files = FastForm.CSR.export(pruned, Map.of("runId", "r1", "method", "weight"));
        assertEquals(3, files.size(), "one file per layer");
        List<String> args = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            args.add(Files.write(dir.resolve("csr" + k + ".npz"), files.get(k)).toString());
        }
        Path model = Files.write(dir.resolve("dense.npz"), layers(pruned));
        String out = python("""
                import json, sys, zipfile, numpy as np, scipy.sparse as sp
                model = np.load(sys.argv[1])
                x = np.random.default_rng(0).random((5, 30), dtype=np.float32)
                a, b = x, x
                for k, f in enumerate(sys.argv[2:]):
                    w = sp.load_npz(f)
                    dense = model['layer_%d' % k]
                    assert w.format == 'csr' and w.shape == dense.shape, (w.format, w.shape)
                    assert np.array_equal(w.toarray(), dense)
                    a, b = a @ dense, np.asarray(w.T @ b.T).T
                    if k < len(sys.argv) - 3:
                        a, b = np.maximum(a, 0), np.maximum(b, 0)
                    about = json.loads(zipfile.ZipFile(f).read('manifest.json'))
                    print(k, w.nnz, about['form'], about['layer'], about['runId'])
                print('maxdiff', float(np.abs(a - b).max()))
                """, model.toString(), args);
        String[] lines = out.strip().split("\n");
        assertEquals("0 180 csr 0 r1", lines[0]); // 30 x 20 weights, 70 % of them zeroed
        assertEquals("1 72 csr 1 r1", lines[1]);  // 20 x 12
        assertEquals("2 120 csr 2 r1", lines[2]); // the output layer is never pruned
        assertTrue(Double.parseDouble(lines[3].split(" ")[1]) < 1e-5, out);
    }

    @Test
    void theCompactedNetworkKeepsTheOriginalIndicesOfItsNeurons() throws Exception {
        Mlp dense = FastFormsTest.randomMlp(4, 30, 20, 12, 10);
        Mlp pruned = Method.NEURON.apply(dense, 50, 0);
        List<byte[]> files = FastForm.COMPACT.export(pruned, Map.of("runId", "r2"));
        assertEquals(1, files.size());
        Path f = Files.write(dir.resolve("compact.npz"), files.get(0));
        Path model = Files.write(dir.resolve("pruned.npz"), layers(pruned));
        String out = python("""
                import json, sys, numpy as np
                full, small = np.load(sys.argv[1]), np.load(sys.argv[2])
                x = np.random.default_rng(1).random((4, 30), dtype=np.float32)
                a, b = x, x
                for k in range(3):
                    a = a @ full['layer_%d' % k]
                    b = b @ small['layer_%d' % k]
                    if k < 2:
                        a, b = np.maximum(a, 0), np.maximum(b, 0)
                        kept = small['kept_%d' % k]
                        print('kept', k, kept.dtype, len(kept), float(np.abs(a[:, kept] - b).max()))
                print('maxdiff', float(np.abs(a - b).max()), json.loads(small['manifest.json'])['sizes'])
                """, model.toString(), List.of(f.toString()));
        String[] lines = out.strip().split("\n");
        // the compacted product sums the same nonzero terms as the full one, but numpy's BLAS may add them in
        // another order (it did on a CI machine: 7e-9 in layer 1): equal within float rounding, not bit for bit
        assertTrue(lines[0].startsWith("kept 0 int32 10 ") && Double.parseDouble(lines[0].split(" ")[4]) < 1e-5, out);
        assertTrue(lines[1].startsWith("kept 1 int32 6 ") && Double.parseDouble(lines[1].split(" ")[4]) < 1e-5, out);
        assertTrue(lines[2].startsWith("maxdiff ") && Double.parseDouble(lines[2].split(" ")[1]) < 1e-5, out);
        assertTrue(lines[2].endsWith("[30, 10, 6, 10]"), out);
    }

    @Test
    void perLayerCostsCountedByHand() {
        // 2 inputs -> 3 hidden (neuron 1 dead: no incoming weight) -> 2 outputs
        Mlp mlp = new Mlp(List.of(
                new org.prunelab.core.model.Layer(2, 3, new float[]{1, 0, 2, 3, 0, 0}),
                new org.prunelab.core.model.Layer(3, 2, new float[]{1, 1, 1, 1, 1, 1})));
        List<LayerCost> csr = FastForm.CSR.costs(mlp);
        // layer 0: 3 nonzeros of 6; CSR holds 3 values + 3 indices + 3 row pointers, 4 bytes each, and leaves the dead
        // neuron out as the compacted network does: layer 1 keeps the 4 weights of the two live inputs, 4 values + 4
        // indices + 3 row pointers
        assertEquals(new LayerCost(0, 2, 3, 3, 2, 2, 3, 12, 24, 6, 36), csr.get(0));
        assertEquals(0.5, csr.get(0).sparsity(), 1e-12);
        assertEquals(new LayerCost(1, 3, 2, 6, 2, 2, 4, 12, 24, 8, 44), csr.get(1));
        List<LayerCost> compact = FastForm.COMPACT.costs(mlp);
        // the dead neuron goes: layer 0 becomes 2 x 2, layer 1 becomes 2 x 2
        assertEquals(new LayerCost(0, 2, 3, 3, 2, 2, 4, 12, 24, 8, 16), compact.get(0));
        assertEquals(new LayerCost(1, 3, 2, 6, 2, 2, 4, 12, 24, 8, 16), compact.get(1));
        assertEquals(List.of(2, 2, 2), LayerCost.fastSizes(compact));
        assertEquals(List.of(2, 2, 2), LayerCost.fastSizes(csr));
        assertEquals(8, LayerCost.fastWeights(compact));
        assertEquals(7, LayerCost.fastWeights(csr), "the nonzeros between live neurons");
    }

    /** The network's layers as layer_k arrays, as a model artifact holds them. */
    private static byte[] layers(Mlp mlp) {
        Map<String, Npz.Array> arrays = new java.util.LinkedHashMap<>();
        for (int k = 0; k < mlp.layers().size(); k++) {
            arrays.put("layer_" + k, new Npz.Array(mlp.layer(k).in(), mlp.layer(k).out(), mlp.layer(k).weights()));
        }
        return Npz.write(arrays, Map.of());
    }

    private String python(String script, String first, List<String> rest) throws Exception {
        Path py = Files.writeString(dir.resolve("check.py"), script);
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("PRUNELAB_PYTHON", "python3"),
                py.toString(), first));
        cmd.addAll(rest);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
        return out;
    }
}
