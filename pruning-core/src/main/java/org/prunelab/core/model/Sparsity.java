package org.prunelab.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Fraction of zero weights actually reached, per layer (output layer included) and overall.
 */
public record Sparsity(List<Double> perLayer, double overall, long nonZeros, long parameters) {

    public static Sparsity of(Mlp mlp) {
        List<Double> per = new ArrayList<>();
        long zeros = 0;
        for (Layer l : mlp.layers()) {
            long z = l.zeros();
            zeros += z;
            per.add((double) z / l.size());
        }
        long params = mlp.parameters();
        return new Sparsity(per, (double) zeros / params, params - zeros, params);
    }
}
