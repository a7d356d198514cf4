package org.prunelab.core.inference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.core.Json;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.Npz;

/**
 * The forms that make a pruned network fast, as the evaluator builds and names them: {@link #CSR} skips zero weights
 * one by one, {@link #COMPACT} removes dead neurons and runs the smaller network densely.
 */
public enum FastForm {
    CSR("csr", "the CSR sparse form") {
        @Override
        public InferenceForm build(Mlp mlp, DenseSetting setting) {
            // one thread per instance, with its own tile width; more threads share the batches out
            if (setting.threads() == 1) {
                return new CsrNetwork(mlp);
            }
            CsrNetwork first = new CsrNetwork(mlp);
            return new TiledForm(first, first::sibling, setting.threads());
        }

        /** The nonzeros between the neurons that can change the outputs: what {@link CsrNetwork} holds. */
        @Override
        public List<LayerCost> costs(Mlp mlp) {
            Mlp live = CompactedNetwork.compact(mlp);
            List<LayerCost> costs = new ArrayList<>();
            for (int k = 0; k < mlp.layers().size(); k++) {
                Layer l = mlp.layer(k);
                Layer c = live.layer(k);
                long nnz = c.size() - c.zeros();
                // values and column indices per nonzero, one row pointer per input and one more
                costs.add(new LayerCost(k, l.in(), l.out(), l.size() - l.zeros(), c.in(), c.out(), nnz, 2L * l.size(),
                        4L * l.size(), 2 * nnz, 8 * nnz + 4L * (c.in() + 1)));
            }
            return costs;
        }

        /** One SciPy CSR file per layer: the layer's [in, out] weights, opened by scipy.sparse.load_npz. */
        @Override
        public List<byte[]> export(Mlp mlp, Map<String, Object> provenance) {
            List<byte[]> files = new ArrayList<>();
            for (int k = 0; k < mlp.layers().size(); k++) {
                Layer l = mlp.layer(k);
                int nnz = 0;
                for (float w : l.weights()) {
                    nnz += w != 0f ? 1 : 0;
                }
                float[] data = new float[nnz];
                int[] indices = new int[nnz];
                int[] indptr = new int[l.in() + 1];
                int p = 0;
                for (int i = 0; i < l.in(); i++) {
                    for (int j = 0; j < l.out(); j++) {
                        float w = l.weights()[i * l.out() + j];
                        if (w != 0f) {
                            data[p] = w;
                            indices[p++] = j;
                        }
                    }
                    indptr[i + 1] = p;
                }
                Map<String, Npz.Raw> arrays = new LinkedHashMap<>();
                arrays.put("format", Npz.Raw.ascii("csr"));
                arrays.put("shape", Npz.Raw.longs(l.in(), l.out()));
                arrays.put("data", Npz.Raw.floats(data));
                arrays.put("indices", Npz.Raw.ints(indices));
                arrays.put("indptr", Npz.Raw.ints(indptr));
                Map<String, Object> about = new LinkedHashMap<>(provenance);
                about.put("form", id());
                about.put("layer", k);
                about.put("layers", mlp.layers().size());
                files.add(Npz.writeRaw(arrays, manifest(about)));
            }
            return files;
        }
    },
    COMPACT("compact", "the compacted network") {
        @Override
        public InferenceForm build(Mlp mlp, DenseSetting setting) {
            return setting.build(id(), CompactedNetwork.compact(mlp));
        }

        @Override
        public List<LayerCost> costs(Mlp mlp) {
            Mlp small = CompactedNetwork.compact(mlp);
            List<LayerCost> costs = new ArrayList<>();
            for (int k = 0; k < mlp.layers().size(); k++) {
                Layer l = mlp.layer(k);
                Layer c = small.layer(k);
                costs.add(new LayerCost(k, l.in(), l.out(), l.size() - l.zeros(), c.in(), c.out(), c.size(), 2L * l.size(),
                        4L * l.size(), 2L * c.size(), 4L * c.size()));
            }
            return costs;
        }

        /**
         * One file: the smaller network's layers ({@code layer_k}, [in, out] float32, as in a model artifact) and,
         * per hidden layer, the original indices of the neurons it keeps ({@code kept_k}, int32).
         */
        @Override
        public List<byte[]> export(Mlp mlp, Map<String, Object> provenance) {
            CompactedNetwork.Compaction c = CompactedNetwork.compaction(mlp);
            Map<String, Npz.Raw> arrays = new LinkedHashMap<>();
            for (int k = 0; k < c.mlp().layers().size(); k++) {
                Layer l = c.mlp().layer(k);
                arrays.put("layer_" + k, Npz.Raw.floats(l.weights(), l.in(), l.out()));
            }
            for (int k = 0; k < c.kept().size(); k++) {
                arrays.put("kept_" + k, Npz.Raw.ints(c.kept().get(k)));
            }
            Map<String, Object> about = new LinkedHashMap<>(provenance);
            about.put("form", id());
            about.put("sizes", c.mlp().sizes());
            about.put("originalSizes", mlp.sizes());
            return List.of(Npz.writeRaw(arrays, manifest(about)));
        }
    };

    private final String id;
    private final String description;

    FastForm(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name in events and metric tags ({@link InferenceForm#name()} of the built form). */
    public String id() {
        return id;
    }

    /** How the report's sentences name it. */
    public String description() {
        return description;
    }

    /**
     * Whether the form is dense-based, so that its {@link DenseSetting} (batch, way to use the threads) is worth
     * choosing; the others take only the setting's thread count.
     */
    public boolean batched() {
        return this == COMPACT;
    }

    /** The form of {@code mlp} on {@code setting.threads()} threads; dense-based forms as {@code setting} says. */
    public abstract InferenceForm build(Mlp mlp, DenseSetting setting);

    /** Weights this form of {@code mlp} holds: the nonzeros in CSR, the smaller network's weights when compacted. */
    public long parameters(Mlp mlp) {
        return LayerCost.fastWeights(costs(mlp));
    }

    /** Per layer of {@code mlp}: weights kept, and FLOPs and bytes per image dense and in this form. */
    public abstract List<LayerCost> costs(Mlp mlp);

    /**
     * The form as files a user can take away and open with NumPy/SciPy, each with a {@code manifest.json} member:
     * {@code provenance} (run, variant, method, percentage...) plus what the file holds. README, "Fast forms".
     */
    public abstract List<byte[]> export(Mlp mlp, Map<String, Object> provenance);

    private static Map<String, byte[]> manifest(Map<String, Object> about) {
        return Map.of("manifest.json", Json.pretty(about).getBytes(StandardCharsets.UTF_8));
    }
}
