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

public class MlpTrainerTest {

    /**
     * Two separable classes: class = whether the first half of the features outweighs the second half. Also the
     * lottery tests' data.
     */
    public static LabeledImages blobs(int n, long seed) {
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

    @Test
    void aTrainingStoppedAfterAnEpochGoesOnFromItsCheckpointToTheSameWeights(@org.junit.jupiter.api.io.TempDir
                                                                             java.nio.file.Path dir) {
        LabeledImages train = blobs(1500, 1);
        LabeledImages test = blobs(300, 2);
        TrainingConfig cfg = new TrainingConfig("blobs", List.of(12, 8), 3, 32, 1e-2, 5, 0);
        MlpTrainer.Result whole = new MlpTrainer(10).train(cfg, train, test, new MlpTrainer.Progress() { });

        var store = new org.prunelab.core.store.CheckpointStore(dir);
        List<String> notes = new java.util.ArrayList<>();
        TrainingCheckpoint.Keeper keeper = store.of("run/s5/model", cfg, notes::add);
        // killed after its second epoch (the checkpoint is saved before the epoch is reported)
        RuntimeException killed = assertThrows(RuntimeException.class, () -> new MlpTrainer(10).train(cfg, train,
                test, new MlpTrainer.Progress() {
                    @Override
                    public void epoch(org.prunelab.core.model.EpochMetrics m) {
                        if (m.epoch() == 2) {
                            throw new RuntimeException("killed");
                        }
                    }
                }, keeper));
        assertEquals("killed", killed.getMessage());
        assertEquals(2, keeper.latest().orElseThrow().epoch());

        int[] resumedAfter = {0};
        List<Integer> epochs = new java.util.ArrayList<>();
        MlpTrainer.Result resumed = new MlpTrainer(10).train(cfg, train, test, new MlpTrainer.Progress() {
            @Override
            public void resumed(int epoch) {
                resumedAfter[0] = epoch;
            }

            @Override
            public void epoch(org.prunelab.core.model.EpochMetrics m) {
                epochs.add(m.epoch());
            }
        }, keeper);
        assertEquals(2, resumedAfter[0]);
        assertEquals(List.of(3), epochs, "only the epoch not done is trained");
        assertEquals(whole.mlp(), resumed.mlp(), "the same weights as a training that never stopped");
        assertEquals(3, resumed.history().size());
        assertEquals(whole.last().testAccuracy(), resumed.last().testAccuracy(), 1e-12);
        assertTrue(notes.isEmpty(), notes.toString());

        // another job's (or another configuration's) checkpoint is not used: that training starts afresh
        TrainingConfig other = new TrainingConfig("blobs", List.of(12, 8), 3, 32, 1e-3, 5, 0);
        assertTrue(store.of("run/s5/model", other, notes::add).latest().isEmpty());
        assertTrue(notes.get(0).contains("not used"), notes.toString());
        store.delete("run/s5/model");
        assertTrue(keeper.latest().isEmpty());
    }
}
