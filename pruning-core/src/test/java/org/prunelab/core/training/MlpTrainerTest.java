package org.prunelab.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.TrainingConfig;

class MlpTrainerTest {

    /** Two separable classes: class = whether the first half of the features outweighs the second half. */
    static LabeledImages blobs(int n, long seed) {
        Random r = new Random(seed);
        int f = 16;
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            for (int j = 0; j < f; j++) {
                boolean hot = (j < f / 2) == (y[i] == 0);
                x[i * f + j] = (float) Math.max(0, (hot ? 0.7 : 0.3) + 0.15 * r.nextGaussian());
            }
        }
        return new LabeledImages("blobs", x, y, n, f, 2);
    }

    @Test
    void learnsAndIsReproducibleFromItsSeed() {
        LabeledImages train = blobs(2000, 1);
        LabeledImages test = blobs(500, 2);
        TrainingConfig cfg = new TrainingConfig("blobs", List.of(12, 8), 2, 32, 1e-2, 5, 0);
        MlpTrainer.Result a = new MlpTrainer(10).train(cfg, train, test, new MlpTrainer.Progress() { });
        assertEquals(2, a.history().size());
        assertTrue(a.last().testAccuracy() > 0.95, "accuracy " + a.last().testAccuracy());
        assertEquals(List.of(16, 12, 8, 2), a.mlp().sizes());
        // the evaluation of the exported weights matches what training measured
        assertEquals(a.last().testAccuracy(), Evaluation.of(a.mlp(), test).accuracy(), 1e-9);
        Mlp again = new MlpTrainer(10).train(cfg, train, test, new MlpTrainer.Progress() { }).mlp();
        assertEquals(a.mlp(), again, "same seed, same weights");
    }

    @Test
    void fineTuningKeepsThePrunedWeightsAtZeroAndRecoversAccuracy() {
        LabeledImages train = blobs(2000, 1);
        LabeledImages test = blobs(500, 2);
        TrainingConfig cfg = new TrainingConfig("blobs", List.of(12, 8), 2, 32, 1e-2, 5, 0);
        Mlp trained = new MlpTrainer(10).train(cfg, train, test, new MlpTrainer.Progress() { }).mlp();
        Mlp pruned = org.prunelab.core.pruning.Method.WEIGHT.apply(trained, 90, 0);
        double oneShot = Evaluation.of(pruned, test).accuracy();

        List<float[]> masks = MlpTrainer.pruningMasks(pruned);
        assertEquals(null, masks.get(2), "the output layer is trained whole");
        TrainingConfig tune = new TrainingConfig("blobs", List.of(12, 8), 2, 32, 1e-3, 6, 0);
        MlpTrainer.Result tuned = new MlpTrainer(10).train(pruned, masks, tune, train, test,
                new MlpTrainer.Progress() { });
        for (int k = 0; k < 2; k++) {
            float[] before = pruned.layer(k).weights();
            float[] after = tuned.mlp().layer(k).weights();
            int moved = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] == 0f) {
                    assertEquals(0f, after[i], "layer " + k + " weight " + i + " was pruned");
                } else if (after[i] != before[i]) {
                    moved++;
                }
            }
            assertTrue(moved > 0, "the kept weights of layer " + k + " trained");
        }
        assertTrue(tuned.last().testAccuracy() >= oneShot, tuned.last().testAccuracy() + " vs one-shot " + oneShot);
        assertTrue(tuned.last().testAccuracy() > 0.9, "accuracy after fine-tuning " + tuned.last().testAccuracy());
        // a network that does not fit the configuration is refused, with the reason
        TrainingConfig other = new TrainingConfig("blobs", List.of(12, 9), 1, 32, 1e-3, 6, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MlpTrainer(10)
                .train(pruned, masks, other, train, test, new MlpTrainer.Progress() { }));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
    }

    @Test
    void refusesAbsurdConfigurations() {
        LabeledImages data = blobs(10, 1);
        MlpTrainer trainer = new MlpTrainer(10);
        for (TrainingConfig bad : List.of(
                new TrainingConfig("blobs", List.of(4), 0, 32, 1e-3, 1, 0),
                new TrainingConfig("blobs", List.of(4), 1, 0, 1e-3, 1, 0),
                new TrainingConfig("blobs", List.of(0), 1, 32, 1e-3, 1, 0),
                new TrainingConfig("blobs", List.of(20_000, 20_000), 1, 32, 1e-3, 1, 0),
                new TrainingConfig("blobs", List.of(4), 1, 32, -1, 1, 0))) {
            assertThrows(IllegalArgumentException.class, () -> trainer.train(bad, data, data, new MlpTrainer.Progress() { }));
        }
    }
}
