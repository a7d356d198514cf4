package org.prunelab.core.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The pruning methods of the study. Either is applied layer by layer to every hidden layer; the output
 * layer is never pruned.
 */
public enum PruningMethod {
    WEIGHT(new WeightPruning()),
    NEURON(new NeuronPruning());

    private final LayerRule rule;

    PruningMethod(LayerRule rule) {
        this.rule = rule;
    }

    /** The name used in events and files: "weight" or "neuron". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PruningMethod parse(String s) {
        for (PruningMethod m : values()) {
            if (m.id().equalsIgnoreCase(String.valueOf(s))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pruning method '" + s + "'; known methods: "
                + Arrays.stream(values()).map(PruningMethod::id).toList());
    }

    public Mlp apply(Mlp mlp, double percentage) {
        Percentage.check(percentage);
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            layers.add(k < mlp.hiddenLayers() ? rule.prune(l, percentage) : l.copy());
        }
        return new Mlp(layers);
    }
}
