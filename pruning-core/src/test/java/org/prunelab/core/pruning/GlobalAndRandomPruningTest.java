package org.prunelab.core.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.inference.FastForm;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.Sparsity;

/** The two methods beside weight and neuron pruning, on matrices worked out by hand. */
class GlobalAndRandomPruningTest {
    /** Hidden |w| in global order: 0.01, 0.02 (layer 1), 0.03, 0.05, 0.1 (layer 0), then 0.4, 0.5, 0.6. */
    private static Mlp handWorked() {
        return new Mlp(List.of(
                new Layer(2, 2, new float[]{0.1f, -0.5f, 0.03f, 0.05f}),
                new Layer(2, 2, new float[]{0.02f, -0.01f, 0.4f, 0.6f}),
                // the output layer's weights are the smallest of all, and are never pruned
                new Layer(2, 1, new float[]{0.001f, -0.002f})));
    }

    @Test
    void globalPruningUsesOneThresholdOverAllHiddenLayers() {
        // 62.5 % of the 8 hidden weights: int(62.5 * 8 / 100) = 5 smallest, wherever they are
        Mlp g = Method.GLOBAL.apply(handWorked(), 62.5, 0);
        assertArrayEquals(new float[]{0f, -0.5f, 0f, 0f}, g.layer(0).weights());
        assertArrayEquals(new float[]{0f, 0f, 0.4f, 0.6f}, g.layer(1).weights());
        assertArrayEquals(new float[]{0.001f, -0.002f}, g.layer(2).weights());
        // the per-layer sparsity it reaches differs from the percentage asked for: 3 of 4, 2 of 4
        assertEquals(List.of(0.75, 0.5, 0.0), Sparsity.of(g).perLayer());
        // layer by layer, weight pruning would take 2 + 2 (int(62.5 * 4 / 100) = 2 per layer)
        assertEquals(List.of(0.5, 0.5, 0.0), Sparsity.of(Method.WEIGHT.apply(handWorked(), 62.5, 0)).perLayer());
        assertArrayEquals(handWorked().layer(0).weights(), Method.GLOBAL.apply(handWorked(), 0, 0).layer(0).weights());
    }

    @Test
    void globalTiesAreBrokenByPositionAcrossLayers() {
        Mlp equal = new Mlp(List.of(new Layer(1, 2, new float[]{0.5f, 0.5f}), new Layer(2, 2,
                new float[]{0.5f, -0.5f, 0.5f, 0.5f}), new Layer(2, 1, new float[]{1, 1})));
        // 3 of the 6 equal hidden weights: the first three in layer order
        Mlp g = Method.GLOBAL.apply(equal, 50, 0);
        assertArrayEquals(new float[]{0f, 0f}, g.layer(0).weights());
        assertArrayEquals(new float[]{0f, -0.5f, 0.5f, 0.5f}, g.layer(1).weights());
    }

    @Test
    void randomPruningZeroesTheCountFromTheSeedAlone() {
        Mlp mlp = wide();
        Mlp a = Method.RANDOM.apply(mlp, 30, 7);
        Mlp b = Method.RANDOM.apply(mlp, 30, 7);
        Mlp c = Method.RANDOM.apply(mlp, 30, 8);
        // exactly int(30 * n / 100) per hidden layer: 60 of 200, 30 of 100; the output layer untouched
        assertEquals(60, a.layer(0).zeros());
        assertEquals(30, a.layer(1).zeros());
        assertEquals(0, a.layer(2).zeros());
        assertArrayEquals(a.layer(0).weights(), b.layer(0).weights(), "same seed, same mask");
        assertNotEquals(java.util.Arrays.toString(a.layer(0).weights()), java.util.Arrays.toString(c.layer(0).weights()));
        assertEquals(0, Method.RANDOM.apply(mlp, 0, 7).layer(0).zeros());
    }

    @Test
    void randomPruningChoosesEveryPositionAlike() {
        // over 2,000 seeds, 3 of 10 weights removed each time: each position about 600 times (binomial sd ~20)
        Mlp mlp = new Mlp(List.of(new Layer(1, 10, ones(10)), new Layer(10, 1, ones(10))));
        int[] hits = new int[10];
        for (long seed = 0; seed < 2000; seed++) {
            float[] w = Method.RANDOM.apply(mlp, 30, seed).layer(0).weights();
            for (int i = 0; i < 10; i++) {
                hits[i] += w[i] == 0f ? 1 : 0;
            }
        }
        for (int h : hits) {
            assertTrue(h > 500 && h < 700, java.util.Arrays.toString(hits));
        }
    }

    @Test
    void bothAreEvaluatedInTheCsrFormAndAskedForByName() {
        assertEquals(FastForm.CSR, Method.GLOBAL.fastForm());
        assertEquals(FastForm.CSR, Method.RANDOM.fastForm());
        assertEquals(Method.GLOBAL, Method.parse("global"));
        assertEquals(Method.RANDOM, Method.parse("Random"));
        assertEquals(List.of(Method.WEIGHT, Method.NEURON, Method.GLOBAL, Method.RANDOM), Method.pruning());
        assertEquals(List.of(Method.WEIGHT, Method.NEURON), Method.DEFAULTS);
    }

    private static Mlp wide() {
        java.util.Random r = new java.util.Random(1);
        float[] w0 = new float[200];
        float[] w1 = new float[100];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) r.nextGaussian();
        }
        return new Mlp(List.of(new Layer(10, 20, w0), new Layer(20, 5, w1), new Layer(5, 2, ones(10))));
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }
}
