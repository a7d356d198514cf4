package org.prunelab.runner.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunelab.core.Json;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.training.Evaluation;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingEngine;

/**
 * Fine-tunes pruned variants of a trained model and prints their test accuracy one-shot and after every epoch of
 * retraining with the mask fixed, per learning rate: the measurement a fine-tuning schedule is chosen from.
 * {@code bin/fine-tune --model store/<id>.npz [--method weight] [--percentages 90,95,97,99] [--epochs 3]
 * [--lrs 0.0001,0.001] [--seed 42] [--train-limit 0] [--threads 2] [--data data] [--json runs/fine-tuning.json]}.
 */
public final class FineTuneMain {
    /** One variant fine-tuned at one rate: accuracy one-shot, then after each epoch. */
    public record Row(String method, double percentage, double learningRate, double oneShot, List<Double> epochs,
                      double secondsPerEpoch) {
    }

    public static void main(String[] args) throws Exception {
        CliArgs a = new CliArgs(args);
        if (!a.has("model")) {
            System.err.println("usage: bin/fine-tune --model store/<id>.npz [--method weight] [--percentages 90,95,97,99]"
                    + " [--epochs 3] [--lrs 0.0001,0.001] [--seed 42] [--train-limit 0] [--threads 2]");
            System.exit(2);
        }
        Path file = Path.of(a.get("model", ""));
        ModelArtifact artifact = ModelArtifact.fromNpz(Files.readAllBytes(file));
        Mlp model = artifact.mlp();
        String dataset = Datasets.checkName(a.get("dataset", artifact.manifest().dataset()));
        Method method = Method.parse(a.get("method", "weight"));
        List<Double> percentages = Arrays.stream(a.get("percentages", "90,95,97,99").split(","))
                .map(String::trim).map(Double::parseDouble).map(Percentage::check).toList();
        List<Double> rates = Arrays.stream(a.get("lrs", "0.0001,0.001").split(",")).map(String::trim)
                .map(Double::parseDouble).toList();
        int epochs = a.getInt("epochs", 3);
        long seed = a.getLong("seed", 42);
        int threads = a.getInt("threads", 2);
        Datasets datasets = new Datasets(Path.of(a.get("data", "data")));
        LabeledImages train = datasets.train(dataset);
        LabeledImages test = datasets.test(dataset);
        List<Integer> sizes = model.sizes();
        System.out.printf(Locale.ROOT, "fine-tuning %s-pruned variants of %s (%s, %s), %d epoch(s) per rate%n",
                method.id(), file, dataset, sizes, epochs);

        List<Row> rows = new ArrayList<>();
        for (double p : percentages) {
            Mlp pruned = method.apply(model, p, seed);
            double oneShot = Evaluation.of(pruned, test).accuracy();
            for (double lr : rates) {
                TrainingConfig cfg = new TrainingConfig(dataset, sizes.subList(1, sizes.size() - 1), epochs,
                        TrainingConfig.defaults(dataset).batchSize(), lr, seed, a.getInt("train-limit", 0));
                MlpTrainer.Result r = new MlpTrainer(1_000_000, TrainingEngine.GEMM, threads).train(pruned,
                        MlpTrainer.pruningMasks(pruned), cfg, train, test, new MlpTrainer.Progress() { });
                Row row = new Row(method.id(), p, lr, oneShot,
                        r.history().stream().map(EpochMetrics::testAccuracy).toList(), r.secondsPerEpoch());
                rows.add(row);
                System.out.printf(Locale.ROOT, "  %s %5s %%  lr %-7s one-shot %.4f  fine-tuned %s  (%.1f s/epoch)%n",
                        method.id(), Percentage.label(p), lr, oneShot, row.epochs().stream()
                                .map(x -> String.format(Locale.ROOT, "%.4f", x)).toList(), r.secondsPerEpoch());
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", file.toString());
        report.put("dataset", dataset);
        report.put("unpruned", Evaluation.of(model, test).accuracy());
        report.put("rows", rows);
        Path json = Path.of(a.get("json", "runs/fine-tuning.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.pretty(report));
        System.out.printf(Locale.ROOT, "unpruned accuracy %.4f; written %s%n", report.get("unpruned"), json);
    }
}
