package org.prunelab.core.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prunelab.core.model.Layer;

class WeightPruningTest {
    // [in=2, out=3]: |w| ranks 0.1 < 0.2 < 0.3 < 0.4 < 0.5 < 0.6
    private final Layer layer = new Layer(2, 3, new float[]{0.5f, -0.1f, 0.3f, -0.6f, 0.2f, -0.4f});
    private final WeightPruning rule = new WeightPruning();

    @Test
    void zeroesTheSmallestMagnitudes() {
        // 50 % of 6 = 3 weights: 0.1, 0.2, 0.3 go, signs of the rest are kept
        assertArrayEquals(new float[]{0.5f, 0f, 0f, -0.6f, 0f, -0.4f}, rule.prune(layer, 50).weights());
        // int(60 * 6 / 100) = int(3.6) = 3: the count rounds down, as the seed's int() does
        assertArrayEquals(new float[]{0.5f, 0f, 0f, -0.6f, 0f, -0.4f}, rule.prune(layer, 60).weights());
        // int(99 * 6 / 100) = 5: only the largest survives
        assertArrayEquals(new float[]{0f, 0f, 0f, -0.6f, 0f, 0f}, rule.prune(layer, 99).weights());
    }

    @Test
    void zeroPercentChangesNothingAndInputIsUntouched() {
        float[] before = layer.weights().clone();
        assertArrayEquals(before, rule.prune(layer, 0).weights());
        rule.prune(layer, 90);
        assertArrayEquals(before, layer.weights());
    }

    @Test
    void tiesAreBrokenByPositionSoExactlyKAreRemoved() {
        Layer equal = new Layer(2, 2, new float[]{0.2f, -0.2f, 0.2f, 0.7f});
        // 50 % of 4 = 2 among the three tied 0.2s: the first two by position
        assertArrayEquals(new float[]{0f, 0f, 0.2f, 0.7f}, rule.prune(equal, 50).weights());
        // already-zero weights count as the smallest
        Layer withZeros = new Layer(1, 4, new float[]{0f, 0.3f, 0f, 0.1f});
        assertArrayEquals(new float[]{0f, 0.3f, 0f, 0.1f}, rule.prune(withZeros, 50).weights());
        assertEquals(3, rule.prune(withZeros, 75).zeros());
    }

    @Test
    void refusesPercentagesOutsideTheRange() {
        for (double p : new double[]{-1, 100, 150, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rule.prune(layer, p));
            assertEquals("pruning percentage must be in [0, 100), got " + p, e.getMessage());
        }
    }
}
