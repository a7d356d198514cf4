package org.prunelab.core.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

class NeuronPruningTest {
    // [in=2, out=4]; column norms: col0 = sqrt(9+16) = 5, col1 = sqrt(1+0) = 1, col2 = sqrt(4+4) = 2.83, col3 = sqrt(36+64) = 10
    private final Layer layer = new Layer(2, 4, new float[]{
        3f, 1f, 2f, 6f,
        -4f, 0f, -2f, 8f});
    private final NeuronPruning rule = new NeuronPruning();

    @Test
    void zeroesWholeColumnsWithTheSmallestIncomingNorm() {
        // 50 % of 4 neurons = 2: columns 1 (norm 1) and 2 (norm 2.83)
        assertArrayEquals(new float[]{3f, 0f, 0f, 6f, -4f, 0f, 0f, 8f}, rule.prune(layer, 50).weights());
        // int(30 * 4 / 100) = 1: column 1 only
        assertArrayEquals(new float[]{3f, 0f, 2f, 6f, -4f, 0f, -2f, 8f}, rule.prune(layer, 30).weights());
        // int(99 * 4 / 100) = 3: only column 3 (norm 10) is left
        assertArrayEquals(new float[]{0f, 0f, 0f, 6f, 0f, 0f, 0f, 8f}, rule.prune(layer, 99).weights());
    }

    @Test
    void zeroPercentAndTies() {
        assertArrayEquals(layer.weights(), rule.prune(layer, 0).weights());
        Layer tied = new Layer(1, 3, new float[]{1f, -1f, 1f});
        // all norms equal: the lowest index goes first
        assertArrayEquals(new float[]{0f, -1f, 1f}, rule.prune(tied, 50).weights());
        assertThrows(IllegalArgumentException.class, () -> rule.prune(layer, 100));
    }

    @Test
    void methodsPruneEveryHiddenLayerButNeverTheOutputLayer() {
        Layer hidden2 = new Layer(4, 2, new float[]{1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f});
        Layer output = new Layer(2, 2, new float[]{0.1f, 0.2f, 0.3f, 0.4f});
        Mlp mlp = new Mlp(List.of(layer, hidden2, output));
        Mlp neuron = Method.NEURON.apply(mlp, 50, 0);
        assertEquals(4, neuron.layer(0).zeros());
        assertEquals(4, neuron.layer(1).zeros()); // one of two columns
        assertEquals(output, neuron.layer(2));
        Mlp weight = Method.WEIGHT.apply(mlp, 50, 0);
        assertEquals(4, weight.layer(0).zeros());
        assertArrayEquals(new float[]{0f, 0f, 0f, 0f, 5f, 6f, 7f, 8f}, weight.layer(1).weights());
        assertEquals(output, weight.layer(2));
    }

    @Test
    void methodNamesParseAndUnknownOnesAreRefused() {
        assertEquals(Method.WEIGHT, Method.parse("weight"));
        assertEquals(Method.NEURON, Method.parse("NEURON"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("magic"));
        assertEquals("unknown pruning method 'magic'; known methods: [weight, neuron, global, random] (and 'scratch' for a "
                + "from-scratch baseline network)", e.getMessage());
    }
}
