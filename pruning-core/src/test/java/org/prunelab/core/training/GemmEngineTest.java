package org.prunelab.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/** The gemm engine against DL4J, the reference: same initial weights, same batches, same weights after. */
class GemmEngineTest {
    private static final List<Integer> SIZES = List.of(64, 300, 200, 10); // wide enough to be split over two parts
    private static final List<Integer> TINY = List.of(64, 7, 4, 10); // narrower than a vector, as small scratch networks are
    private static final int BATCH = 64;
    private static final int STEPS = 20;

    static LabeledImages data(int n, long seed) {
        Random r = new Random(seed);
        int f = SIZES.get(0);
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int j = 0; j < f; j++) {
                x[i * f + j] = (float) Math.max(0, 0.3 * r.nextGaussian() + (j % 10 == y[i] ? 0.8 : 0.2));
            }
        }
        return new LabeledImages("synthetic", x, y, n, f, 10);
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = Batches.identity(n);
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static Mlp trainGemm(Mlp init, LabeledImages data, int[] order, int threads, List<Double> losses) {
        try (TrainingEngine.Session s = TrainingEngine.gemm(init, null, BATCH, 1e-3, threads)) {
            for (int b = 0; b < STEPS; b++) {
                losses.add(s.step(data, order, b * BATCH, (b + 1) * BATCH));
            }
            return s.mlp();
        }
    }

    @Test
    void takesTheSameStepsAsDl4jFromTheSameWeights() {
        sameStepsAsDl4j(SIZES);
    }

    @Test
    void takesTheSameStepsAsDl4jOnNarrowLayers() {
        sameStepsAsDl4j(TINY);
    }

    private static void sameStepsAsDl4j(List<Integer> sizes) {
        LabeledImages data = data(STEPS * BATCH, 3);
        int[] order = shuffled(data.count(), 4);
        Mlp init = TrainingEngine.xavier(sizes, 42);

        MultiLayerNetwork net = Dl4jNetworks.fromMlp(init); // JavaAdam at 1e-3, fresh moments
        List<Double> dl4jLosses = new ArrayList<>();
        for (int b = 0; b < STEPS; b++) {
            net.fit(new org.nd4j.linalg.dataset.DataSet(Batches.features(data, order, b * BATCH, (b + 1) * BATCH),
                    Batches.oneHot(data, order, b * BATCH, (b + 1) * BATCH)));
            dl4jLosses.add(net.score());
        }
        Mlp reference = Dl4jNetworks.toMlp(net);

        for (int threads : new int[]{1, 2}) {
            List<Double> losses = new ArrayList<>();
            Mlp gemm = trainGemm(init, data, order, threads, losses);
            for (int b = 0; b < STEPS; b++) {
                assertEquals(dl4jLosses.get(b), losses.get(b), 1e-4, "loss of batch " + b + ", " + threads + " thread(s)");
            }
            // 20 Adam steps move a weight by up to 20 * 1e-3; measured largest difference 2.4e-6 (float rounding)
            double worst = 0;
            double moved = 0;
            for (int k = 0; k < sizes.size() - 1; k++) {
                float[] a = gemm.layer(k).weights();
                float[] r = reference.layer(k).weights();
                float[] start = init.layer(k).weights();
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - r[i]));
                    moved = Math.max(moved, Math.abs(r[i] - start[i]));
                }
            }
            assertTrue(moved > 0.005, "training moved the weights (" + moved + ")");
            assertTrue(worst < 1e-5, threads + " thread(s): largest difference to DL4J " + worst);
        }
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        LabeledImages data = data(STEPS * BATCH, 5);
        int[] order = shuffled(data.count(), 6);
        Mlp init = TrainingEngine.xavier(SIZES, 7);
        Mlp one = trainGemm(init, data, order, 1, new ArrayList<>());
        Mlp two = trainGemm(init, data, order, 2, new ArrayList<>());
        for (int k = 0; k < SIZES.size() - 1; k++) {
            float[] a = one.layer(k).weights();
            float[] b = two.layer(k).weights();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6, "layer " + k + " weight " + i);
            }
        }
    }

    @Test
    void maskedWeightsStayExactlyZero() {
        LabeledImages data = data(STEPS * BATCH, 8);
        int[] order = shuffled(data.count(), 9);
        Mlp init = TrainingEngine.xavier(SIZES, 10);
        List<Layer> pruned = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        Random r = new Random(11);
        for (Layer l : init.layers()) {
            float[] w = l.weights().clone();
            float[] mask = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                mask[i] = r.nextDouble() < 0.7 ? 0f : 1f;
                w[i] *= mask[i];
            }
            pruned.add(new Layer(l.in(), l.out(), w));
            masks.add(mask);
        }
        Mlp trained;
        try (TrainingEngine.Session s = TrainingEngine.gemm(new Mlp(pruned), masks, BATCH, 1e-3, 2)) {
            for (int b = 0; b < STEPS; b++) {
                s.step(data, order, b * BATCH, (b + 1) * BATCH);
            }
            trained = s.mlp();
        }
        int kept = 0;
        int changed = 0;
        for (int k = 0; k < masks.size(); k++) {
            float[] w = trained.layer(k).weights();
            for (int i = 0; i < w.length; i++) {
                if (masks.get(k)[i] == 0f) {
                    assertEquals(0.0, Math.abs(w[i]), "layer " + k + " weight " + i + " is masked");
                } else {
                    kept++;
                    changed += w[i] != pruned.get(k).weights()[i] ? 1 : 0;
                }
            }
        }
        assertTrue(changed > kept / 2, "the unmasked weights train (" + changed + " of " + kept + " changed)");
    }

    @Test
    void evaluatesLikeTheReference() {
        LabeledImages data = data(1234, 12); // not a multiple of the evaluation tile
        Mlp mlp = TrainingEngine.xavier(SIZES, 13);
        try (TrainingEngine.Session s = TrainingEngine.gemm(mlp, null, BATCH, 1e-3, 2)) {
            Evaluation fast = s.evaluate(data);
            Evaluation reference = Evaluation.of(mlp, data);
            assertEquals(reference.accuracy(), fast.accuracy(), 1e-9);
            assertEquals(reference.loss(), fast.loss(), 1e-5);
        }
    }
}
