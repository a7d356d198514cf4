package org.prunelab.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.TrainingConfig;

/** Trains the study's MLP with DL4J and reports test loss and accuracy after every epoch. */
public final class MlpTrainer {

    /** Told about every finished epoch, and every {@code batchReportEvery} batches within one. */
    public interface Progress {
        default void batches(int epoch, int done, int total) {
        }

        default void epoch(EpochMetrics metrics) {
        }
    }

    public record Result(Mlp mlp, List<EpochMetrics> history, double secondsPerEpoch) {
        public EpochMetrics last() {
            return history.get(history.size() - 1);
        }
    }

    private final int batchReportEvery;

    public MlpTrainer(int batchReportEvery) {
        this.batchReportEvery = Math.max(1, batchReportEvery);
    }

    public Result train(TrainingConfig config, LabeledImages train, LabeledImages test, Progress progress) {
        LabeledImages data = config.trainLimit() > 0 ? train.head(config.trainLimit()) : train;
        config.validate(data.features(), data.classes());
        List<Integer> sizes = new ArrayList<>();
        sizes.add(data.features());
        sizes.addAll(config.hiddenSizes());
        sizes.add(data.classes());
        MultiLayerNetwork net = Dl4jNetworks.create(sizes, config.learningRate(), config.seed());

        // the shuffle has its own generator from the same seed, so a run is reproducible end to end
        Random shuffle = new Random(config.seed());
        int[] order = Batches.identity(data.count());
        int batches = (data.count() + config.batchSize() - 1) / config.batchSize();
        List<EpochMetrics> history = new ArrayList<>();
        double trainingSeconds = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, shuffle);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * config.batchSize();
                int to = Math.min(from + config.batchSize(), data.count());
                net.fit(new DataSet(Batches.features(data, order, from, to), Batches.oneHot(data, order, from, to)));
                lossSum += net.score() * (to - from);
                if ((b + 1) % batchReportEvery == 0 || b + 1 == batches) {
                    progress.batches(epoch, b + 1, batches);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainingSeconds += seconds;
            Evaluation eval = Evaluation.of(net, test);
            EpochMetrics m = new EpochMetrics(epoch, lossSum / data.count(), eval.loss(), eval.accuracy(), seconds);
            history.add(m);
            progress.epoch(m);
        }
        return new Result(Dl4jNetworks.toMlp(net), history, trainingSeconds / config.epochs());
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
