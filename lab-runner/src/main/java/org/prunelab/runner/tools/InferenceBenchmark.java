package org.prunelab.runner.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.Json;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.inference.Timing;
import org.prunelab.core.inference.BatchSizes;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.inference.CsrNetwork;
import org.prunelab.core.inference.DenseNetwork;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.inference.InferenceTimer;
import org.prunelab.core.inference.TimingPolicy;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.NativeThreads;

/**
 * bin/benchmark: CPU inference time of the whole test set for the best dense forms, the CSR sparse form of the
 * weight-pruned model and the compacted neuron-pruned model, at each sparsity, all in one run with the same threads
 * so that the ratios hold on a noisy machine.
 */
public final class InferenceBenchmark {
    static final double[] PERCENTAGES = {0, 50, 70, 90, 95, 97, 99};

    /** One line of the table. Times in ms for the test set; ratios are best dense / form. */
    public record Row(double percentage, double weightSparsity, Timing dense64, Timing denseBest, Timing dl4j64,
                      Timing dl4jBest, Timing csr, double csrSpeedup, double neuronFlopShare, Timing compact,
                      double compactSpeedup, double compactVsFlopBound) {
    }

    public record Report(String model, int images, int threads, int warmups, int repetitions, int bestDenseBatch,
                         int bestDl4jBatch, List<Row> rows) {
    }

    public static void main(String[] argv) throws Exception {
        CliArgs a = new CliArgs(argv);
        int threads = a.getInt("threads", 1);
        NativeThreads.configure(threads, threads);
        TimingPolicy policy = new TimingPolicy(a.getInt("warmups", TimingPolicy.STUDY.warmups()),
                a.getInt("repetitions", TimingPolicy.STUDY.repetitions()));
        InferenceTimer timer = new InferenceTimer(policy);
        Datasets datasets = new Datasets(Path.of(a.get("data", "data")));
        LabeledImages test = datasets.test(a.get("dataset", "mnist"));
        Mlp model;
        String source;
        if (a.has("model")) {
            Path file = Path.of(a.get("model", ""));
            model = ModelArtifact.fromNpz(Files.readAllBytes(file)).mlp();
            source = file.toString();
        } else {
            TrainingConfig cfg = TrainingConfig.quick("mnist");
            source = String.format(Locale.ROOT, "default network, %d epoch(s) on %,d MNIST images, seed %d",
                    cfg.epochs(), cfg.trainLimit(), cfg.seed());
            System.out.println("no --model given: training the " + source + " ...");
            model = new MlpTrainer(1000).train(cfg, datasets.train("mnist"), test, new MlpTrainer.Progress() { }).mlp();
        }
        float[] x = test.pixels();
        int n = test.count();

        int bestBatch = BatchSizes.fastest(b -> new DenseNetwork(model, b, threads), BatchSizes.CANDIDATES, x, n);
        int bestDl4j = BatchSizes.fastest(b -> new Dl4jForm(model, b, threads), BatchSizes.CANDIDATES, x, n);
        System.out.printf(Locale.ROOT, "model: %s%n%d test images, %d thread(s), median of %d runs after %d warm-up; "
                + "fastest dense batch %d (ND4J gemm), %d (DL4J output)%n%n", source, n, threads,
                policy.repetitions(), policy.warmups(), bestBatch, bestDl4j);
        System.out.printf(Locale.ROOT, "%5s %9s %9s %9s %9s %9s %8s %9s %8s %8s%n", "pct", "dense64", "denseBest",
                "dl4j64", "dl4jBest", "csr", "csr x", "compact", "cmp x", "cmp/bound");
        List<Row> rows = new ArrayList<>();
        double fullFlops = flops(model);
        for (double p : PERCENTAGES) {
            Mlp weight = Method.WEIGHT.apply(model, p, 0);
            Mlp neuron = Method.NEURON.apply(model, p, 0);
            Timing d64 = timer.time(new DenseNetwork(weight, 64, threads), x, n);
            Timing dBest = timer.time(new DenseNetwork(weight, bestBatch, threads), x, n);
            Timing l64 = timer.time(new Dl4jForm(weight, 64, threads), x, n);
            Timing lBest = timer.time(new Dl4jForm(weight, bestDl4j, threads), x, n);
            Timing csr = timer.time(new CsrNetwork(weight), x, n);
            Mlp compact = CompactedNetwork.compact(neuron);
            Timing cmp = timer.time(CompactedNetwork.form(neuron, bestBatch, threads), x, n);
            double best = Math.min(Math.min(d64.wallMedianMs(), dBest.wallMedianMs()),
                    Math.min(l64.wallMedianMs(), lBest.wallMedianMs()));
            double share = flops(compact) / fullFlops;
            // the target: compact time <= 1.3 x (FLOP share x dense time at the same batch)
            double bound = cmp.wallMedianMs() / (share * dBest.wallMedianMs());
            Row row = new Row(p, org.prunelab.core.model.Sparsity.of(weight).overall(), d64, dBest, l64, lBest, csr,
                    best / csr.wallMedianMs(), share, cmp, best / cmp.wallMedianMs(), bound);
            rows.add(row);
            System.out.printf(Locale.ROOT, "%5s %9.1f %9.1f %9.1f %9.1f %9.1f %7.2fx %9.1f %7.2fx %9.2f%n",
                    org.prunelab.core.pruning.Percentage.label(p), d64.wallMedianMs(), dBest.wallMedianMs(),
                    l64.wallMedianMs(), lBest.wallMedianMs(), csr.wallMedianMs(), row.csrSpeedup(), cmp.wallMedianMs(),
                    row.compactSpeedup(), bound);
        }
        Path json = Path.of(a.get("json", "runs/benchmark.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.pretty(new Report(source, n, threads, policy.warmups(),
                policy.repetitions(), bestBatch, bestDl4j, rows)));
        System.out.printf("%nms for the whole test set; x = best dense (any of the four) / form; cmp/bound = compact "
                + "time / (its FLOP share x denseBest), target <= 1.3%nwritten %s%n", json);
    }

    private static double flops(Mlp mlp) {
        return 2.0 * mlp.parameters();
    }
}
