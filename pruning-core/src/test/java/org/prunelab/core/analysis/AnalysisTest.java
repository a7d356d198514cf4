package org.prunelab.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;

class AnalysisTest {

    @Test
    void histogramCountsByHand() {
        Histogram h = Histogram.of(new double[]{0, 0.1, 0.25, 0.5, 0.99, 1.0, 1.5, -0.1}, 4, 0, 1);
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75, 1}, h.edges(), 1e-12);
        // [0,.25): 0, .1   [.25,.5): .25   [.5,.75): .5   [.75,1]: .99, 1.0 (max included); 1.5 and -0.1 outside
        assertArrayEquals(new long[]{2, 1, 1, 2}, h.counts());
        assertEquals(6, h.total());
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[]{1}, 0, 0, 1));
    }

    @Test
    void topTenPercentSpreadByHand() {
        // [in=5, out=4]: 20 weights; the top 10 % are the 2 largest, 9 and 8, both in column 2
        Layer l = new Layer(5, 4, new float[]{
            1, 2, 9, 1,
            1, 1, -8, 1,
            1, 1, 1, 1,
            1, 1, 1, 1,
            1, 1, 1, 3});
        TopWeightSpread s = TopWeightSpread.of(l, 0.10);
        assertEquals(2, s.topWeights());
        assertArrayEquals(new int[]{0, 0, 2, 0}, s.perNeuron());
        assertEquals(3, s.neuronsWithNone());
        assertEquals(4.0, s.maxOverMean(), 1e-12); // 2 / (2 / 4)
        assertEquals(0.75, s.gini(), 1e-12);       // all in one of 4 neurons: (n - 1) / n
        // top 20 %: 9, 8, 3, 2 -> columns 2, 2, 3, 1
        assertArrayEquals(new int[]{0, 1, 2, 1}, TopWeightSpread.of(l, 0.20).perNeuron());
        assertEquals(0.0, TopWeightSpread.gini(new int[]{3, 3, 3}), 1e-12);
    }

    @Test
    void removedShareCountsTheNextLayersRowsForNeuronPruning() {
        // 2 -> 4 -> 2 -> 1: 8 + 8 + 2 = 18 weights
        Layer first = new Layer(2, 4, new float[]{1, 2, 3, 4, 1, 2, 3, 4});
        Layer second = new Layer(4, 2, new float[]{1, 1, 1, 1, 1, 1, 1, 1});
        Layer out = new Layer(2, 1, new float[]{1, 1});
        Mlp mlp = new Mlp(List.of(first, second, out));
        // weight pruning at 50 %: 4 of the first layer's 8 and 4 of the second's 8 -> 8 / 18
        assertEquals(8.0 / 18, RemovedShare.of(mlp, Method.WEIGHT, 50, 0), 1e-12);
        // neuron pruning at 50 %: 2 of 4 neurons (columns 0, 1: 4 weights) and their 2 rows in layer 2 (4 weights),
        // then 1 of layer 2's 2 neurons (its remaining column: 2 weights) and its row in the output layer (1 weight)
        assertEquals(11.0 / 18, RemovedShare.of(mlp, Method.NEURON, 50, 0), 1e-12);
        assertEquals(0.0, RemovedShare.of(mlp, Method.NEURON, 0, 0), 1e-12);
    }

    @Test
    void layerAnalysisCoversEveryHiddenLayer() {
        Layer first = new Layer(2, 4, new float[]{1, -2, 3, 4, 1, 2, 3, 4});
        Layer out = new Layer(4, 1, new float[]{1, 1, 1, 1});
        List<LayerAnalysis> a = LayerAnalysis.of(new Mlp(List.of(first, out)));
        assertEquals(1, a.size());
        assertEquals(8, a.get(0).weightMagnitudes().total());
        assertEquals(4, a.get(0).neuronNorms().total());
        assertEquals(0, a.get(0).topTenPercent().topWeights()); // floor(0.1 * 8) = 0
    }
}
