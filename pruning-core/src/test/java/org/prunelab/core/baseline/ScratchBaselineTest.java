package org.prunelab.core.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;

class ScratchBaselineTest {

    @Test
    void sizesAreWhatNeuronPruningLeaves() {
        // the study's hidden sizes: m - int(p * m / 100)
        List<Integer> hidden = List.of(1000, 1000, 500, 200);
        assertEquals(hidden, ScratchBaseline.hiddenSizes(hidden, 0));
        assertEquals(List.of(750, 750, 375, 150), ScratchBaseline.hiddenSizes(hidden, 25));
        assertEquals(List.of(30, 30, 15, 6), ScratchBaseline.hiddenSizes(hidden, 97));
        assertEquals(List.of(10, 10, 5, 2), ScratchBaseline.hiddenSizes(hidden, 99));
        // int(97.5 * 7 / 100) = int(6.825) = 6 removed of 7; never fewer than one neuron
        assertEquals(List.of(1, 1), ScratchBaseline.hiddenSizes(List.of(7, 1), 97.5));
        assertThrows(IllegalArgumentException.class, () -> ScratchBaseline.hiddenSizes(hidden, 100));
    }

    @Test
    void sizesMatchTheCompactedNeuronPrunedNetwork() {
        // a 6-5-4-3 network with distinct weights: the compacted neuron-pruned network has the baseline's sizes
        int[] sizes = {6, 5, 4, 3};
        List<Layer> layers = new java.util.ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            float[] w = new float[sizes[k] * sizes[k + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(1.7 * i + k) + 0.01f * i;
            }
            layers.add(new Layer(sizes[k], sizes[k + 1], w));
        }
        Mlp mlp = new Mlp(layers);
        for (double p : new double[]{20, 40, 60}) {
            Mlp compact = CompactedNetwork.compact(Method.NEURON.apply(mlp, p, 0));
            List<Integer> hidden = compact.sizes().subList(1, compact.sizes().size() - 1);
            assertEquals(ScratchBaseline.hiddenSizes(List.of(5, 4), p), hidden, "at " + p + " %");
        }
    }

    @Test
    void countsAndNames() {
        List<Double> p = List.of(0.0, 50.0, 90.0);
        assertEquals(List.of(50.0, 90.0), ScratchBaseline.percentages(p));
    }
}
