package org.prunelab.runner.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingEngine;

/**
 * Trains one model from the command line and stores it: {@code bin/train [--dataset mnist] [--epochs 10]
 * [--hidden 1000,1000,500,200] [--batch 64] [--lr 0.001] [--seed 42] [--train-limit 0] [--engine gemm|dl4j] [--threads 2]
 * [--data data] [--store store]}.
 */
public final class TrainMain {
    public static void main(String[] args) {
        CliArgs a = new CliArgs(args);
        TrainingConfig d = TrainingConfig.defaults(a.get("dataset", "mnist"));
        List<Integer> hidden = a.has("hidden")
                ? Arrays.stream(a.get("hidden", "").split(",")).map(String::trim).map(Integer::parseInt).toList()
                : d.hiddenSizes();
        TrainingConfig config = new TrainingConfig(Datasets.checkName(d.dataset()), hidden,
                a.getInt("epochs", d.epochs()), a.getInt("batch", d.batchSize()),
                a.getDouble("lr", d.learningRate()), a.getLong("seed", d.seed()), a.getInt("train-limit", 0));
        TrainingEngine engine = TrainingEngine.of(a.get("engine", TrainingEngine.GEMM.id()));
        int threads = a.getInt("threads", 2);

        Datasets datasets = new Datasets(Path.of(a.get("data", "data")));
        LabeledImages train = datasets.train(config.dataset());
        LabeledImages test = datasets.test(config.dataset());
        System.out.printf(Locale.ROOT, "training %s on %s (%d train, %d test images), engine %s, %d thread(s)%n",
                config, config.dataset(), train.count(), test.count(), engine.id(), threads);

        MlpTrainer.Result result = new MlpTrainer(100, engine, threads).train(config, train, test, new MlpTrainer.Progress() {
            @Override
            public void epoch(EpochMetrics m) {
                System.out.printf(Locale.ROOT,
                        "epoch %2d  train loss %.4f  test loss %.4f  test accuracy %.4f  %.1f s%n",
                        m.epoch(), m.trainLoss(), m.testLoss(), m.testAccuracy(), m.seconds());
            }
        });
        ArtifactStore store = new ArtifactStore(Path.of(a.get("store", "store")));
        String id = store.putModel(new ModelArtifact(result.mlp(),
                ModelManifest.trained("cli-" + config.seed(), result.mlp(), config, result.history())));
        System.out.printf(Locale.ROOT, "final test accuracy %.4f, %.1f s per epoch%nmodel artifact %s%n",
                result.last().testAccuracy(), result.secondsPerEpoch(), store.pathOf(id));
    }
}
