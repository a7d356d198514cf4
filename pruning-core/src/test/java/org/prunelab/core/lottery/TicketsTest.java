package org.prunelab.core.lottery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.LayerRule;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.MlpTrainerTest;
import org.prunelab.core.training.TrainingEngine;

class TicketsTest {
    private static final TrainingConfig CFG = new TrainingConfig("blobs", List.of(24, 12), 2, 32, 1e-2, 5, 0, 20);

    @Test
    void theRoundsFollowTheScheduleAndEachMaskPrunesTheSurvivorsOfTheLast() {
        LabeledImages train = MlpTrainerTest.blobs(1000, 1);
        LabeledImages test = MlpTrainerTest.blobs(300, 2);
        Lottery lottery = new Lottery(4, 0.5, null, null).complete();
        assertEquals(List.of(50.0, 75.0, 87.5, 93.75), lottery.percentages());
        MlpTrainer trainer = new MlpTrainer(100);
        Mlp previous = trainer.train(CFG, train, test, new MlpTrainer.Progress() { }).mlp();
        Mlp rewind = trainer.rewindPoint(CFG, train, 0);
        List<float[]> before = null;
        for (double p : lottery.percentages()) {
            List<float[]> masks = Tickets.mask(previous, p);
            assertNull(masks.get(2), "the output layer is not pruned");
            for (int k = 0; k < 2; k++) {
                float[] m = masks.get(k);
                int kept = 0;
                for (int i = 0; i < m.length; i++) {
                    kept += (int) m[i];
                    if (before != null && before.get(k)[i] == 0f) {
                        assertEquals(0f, m[i], "round " + p + "% layer " + k + ": a pruned weight came back");
                    }
                }
                assertEquals(m.length - LayerRule.count(p, m.length), kept, "layer " + k + " at " + p + " %");
            }
            // the ticket: exactly the rewound values where the mask keeps a weight, zero elsewhere
            Mlp ticket = Tickets.apply(rewind, masks);
            for (int k = 0; k < 3; k++) {
                float[] w = ticket.layer(k).weights();
                float[] init = rewind.layer(k).weights();
                for (int i = 0; i < w.length; i++) {
                    float expected = masks.get(k) == null || masks.get(k)[i] == 1f ? init[i] : 0f;
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(w[i]), "layer " + k + " " + i);
                }
            }
            MlpTrainer.Result r = trainer.train(ticket, masks, CFG, train, test, new MlpTrainer.Progress() { });
            for (int k = 0; k < 2; k++) {
                float[] w = r.mlp().layer(k).weights();
                int moved = 0;
                for (int i = 0; i < w.length; i++) {
                    if (masks.get(k)[i] == 0f) {
                        assertEquals(0f, w[i], "masked weight " + i + " of layer " + k + " stayed zero");
                    } else {
                        moved += w[i] != ticket.layer(k).weights()[i] ? 1 : 0;
                    }
                }
                assertTrue(moved > 0, "the kept weights trained");
            }
            assertEquals(1 - p / 100, Tickets.remaining(masks), 0.01);
            before = masks;
            previous = r.mlp();
        }
    }

    @Test
    void theRewindPointIsTheSeedsInitialWeightsOrTheModelsAfterKIterations() {
        LabeledImages train = MlpTrainerTest.blobs(640, 1);
        LabeledImages test = MlpTrainerTest.blobs(100, 2);
        MlpTrainer trainer = new MlpTrainer(100);
        assertEquals(TrainingEngine.xavier(List.of(16, 24, 12, 2), CFG.seed()), trainer.rewindPoint(CFG, train, 0));
        // one epoch of 20 batches: rewinding to iteration 20 gives the model after its first epoch, bit for bit
        TrainingConfig one = new TrainingConfig("blobs", List.of(24, 12), 1, 32, 1e-2, 5, 0);
        Mlp afterEpoch = trainer.train(one, train, test, new MlpTrainer.Progress() { }).mlp();
        assertEquals(afterEpoch, trainer.rewindPoint(CFG, train, 20));
        Mlp at7 = trainer.rewindPoint(CFG, train, 7);
        assertTrue(!at7.equals(afterEpoch) && !at7.equals(trainer.rewindPoint(CFG, train, 0)));
    }

    @Test
    void theRandomMaskKeepsTheTicketsCountsAndTheTestPointsFindTheBest() {
        List<float[]> random = Tickets.randomMask(List.of(16, 24, 12, 2), 75, 3);
        assertEquals(16 * 24 - LayerRule.count(75, 16 * 24), (int) sum(random.get(0)));
        assertEquals(24 * 12 - LayerRule.count(75, 24 * 12), (int) sum(random.get(1)));
        assertNull(random.get(2));
        assertArrayEquals(random.get(0), Tickets.randomMask(List.of(16, 24, 12, 2), 75, 3).get(0), "from its seed");

        MlpTrainer.Result r = new MlpTrainer(100).train(CFG, MlpTrainerTest.blobs(1000, 1), MlpTrainerTest.blobs(300, 2),
                new MlpTrainer.Progress() { });
        // 32 batches an epoch, tested every 20 iterations: at 20 in the first epoch, 40 and 60 in the second
        assertEquals(List.of(20L), r.history().get(0).tests().stream().map(EpochMetrics.TestPoint::iteration).toList());
        assertEquals(List.of(40L, 60L), r.history().get(1).tests().stream().map(EpochMetrics.TestPoint::iteration)
                .toList());
        assertEquals(64L, r.history().get(1).iteration());
        EpochMetrics.TestPoint best = EpochMetrics.best(r.history()).orElseThrow();
        List<EpochMetrics.TestPoint> all = new ArrayList<>();
        r.history().forEach(e -> {
            all.addAll(e.tests());
            all.add(new EpochMetrics.TestPoint(e.iteration(), e.testLoss(), e.testAccuracy()));
        });
        assertEquals(all.stream().mapToDouble(EpochMetrics.TestPoint::accuracy).max().orElseThrow(), best.accuracy());
        assertEquals(all.stream().filter(p -> p.accuracy() == best.accuracy()).findFirst().orElseThrow(), best,
                "the first point that reached it");
    }

    @Test
    void settingsAreCheckedAndTheSameWeightsBaselineHasTheTicketsWeights() {
        assertEquals(List.of(20.0, 36.0, 48.8, 59.04, 67.232), new Lottery(5, 0.2, 0, 0).complete().percentages());
        Lottery l = new Lottery(3, 0.5, null, null).complete();
        assertEquals(2, l.round(75));
        assertEquals(50.0, l.previous(75).getAsDouble());
        assertTrue(l.previous(50).isEmpty() && l.next(87.5).isEmpty());
        for (Lottery bad : List.of(new Lottery(0, null, null, null), new Lottery(null, 1.0, null, null),
                new Lottery(null, 0.0, null, null), new Lottery(null, null, -1, null), new Lottery(31, null, null, null),
                new Lottery(30, 0.9, null, null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::complete);
            assertTrue(e.getMessage().startsWith("lottery.") || e.getMessage().contains("rounds"), e.getMessage());
        }
        for (double p : List.of(50.0, 75.0, 96.875)) {
            List<Integer> sizes = ScratchBaseline.sameWeightSizes(List.of(1000, 1000, 500, 200), 784, 10, p);
            long hidden = 784L * 1000 + 1000L * 1000 + 1000L * 500 + 500L * 200;
            double ticket = hidden * (1 - p / 100) + 2000;
            long w = 784L * sizes.get(0) + (long) sizes.get(0) * sizes.get(1) + (long) sizes.get(1) * sizes.get(2)
                    + (long) sizes.get(2) * sizes.get(3) + sizes.get(3) * 10L;
            assertEquals(1, w / ticket, 0.01, p + " %: " + sizes + " has " + w + " weights for " + ticket);
        }
    }

    private static double sum(float[] m) {
        double s = 0;
        for (float v : m) {
            s += v;
        }
        return s;
    }
}
