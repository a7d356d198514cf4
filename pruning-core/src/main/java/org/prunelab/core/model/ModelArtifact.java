package org.prunelab.core.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.core.Json;

/**
 * A model as stored: the weights as npz arrays {@code layer_0 .. layer_N} (float32, [in, out]) and its
 * manifest as the npz member {@code manifest.json}. In Python:
 * {@code z = numpy.load(path); w0 = z["layer_0"]; manifest = json.loads(z["manifest.json"])}.
 */
public record ModelArtifact(Mlp mlp, ModelManifest manifest) {
    public static final String MANIFEST = "manifest.json";

    public ModelArtifact {
        if (!manifest.sizes().equals(mlp.sizes())) {
            throw new IllegalArgumentException("manifest sizes " + manifest.sizes() + " differ from weights " + mlp.sizes());
        }
    }

    public byte[] toNpz() {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        List<String> names = manifest.arrays();
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            arrays.put(names.get(k), new Npz.Array(l.in(), l.out(), l.weights()));
        }
        return Npz.write(arrays, Map.of(MANIFEST, Json.pretty(manifest).getBytes(StandardCharsets.UTF_8)));
    }

    public static ModelArtifact fromNpz(byte[] bytes) {
        Npz.Contents c = Npz.read(bytes);
        byte[] manifestJson = c.members().get(MANIFEST);
        if (manifestJson == null) {
            throw new ModelFormatException("npz has no " + MANIFEST);
        }
        ModelManifest manifest;
        try {
            manifest = Json.read(manifestJson, ModelManifest.class);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage());
        }
        if (manifest.arrays() == null || manifest.sizes() == null) {
            throw new ModelFormatException("manifest lacks arrays or sizes");
        }
        List<Layer> layers = new ArrayList<>();
        for (String name : manifest.arrays()) {
            Npz.Array a = c.arrays().get(name);
            if (a == null) {
                throw new ModelFormatException("manifest names array '" + name + "' that the npz does not hold");
            }
            layers.add(new Layer(a.rows(), a.cols(), a.data()));
        }
        try {
            return new ModelArtifact(new Mlp(layers), manifest);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage());
        }
    }
}
