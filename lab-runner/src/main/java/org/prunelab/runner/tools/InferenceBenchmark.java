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
import org.prunelab.core.inference.Timing;
import org.prunelab.core.inference.BatchSizes;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.inference.CsrNetwork;
import org.prunelab.core.inference.DenseNetwork;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.inference.InferenceTimer;
import org.prunelab.core.inference.TiledForm;
import org.prunelab.core.inference.TimingPolicy;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.NativeThreads;

/**
 * bin/benchmark: CPU inference time of the whole test set for the best dense forms, the CSR sparse form of the
 * weight-pruned model and the compacted neuron-pruned model, at each sparsity, all in one run, at each thread count
 * asked for (1 and 2 by default), so that the ratios hold on a noisy machine. At one thread the dense baseline is the
 * fastest of ND4J gemm and DL4J output() at batch 64 and at their best batch; at more threads it is the faster of
 * OpenBLAS's own threads and the batch tiles split over threads ({@link TiledForm}), and CSR and compacted forms run
 * on tiles too. Each form's achieved GFLOP/s (its own multiply-adds x 2 / time) stands beside dense's.
 */
public final class InferenceBenchmark {
    static final double[] PERCENTAGES = {0, 50, 70, 90, 95, 97, 99};

    /**
     * One line of a table, times in ms for the test set; ratios are best dense / form.
     *
     * @param bestDense which dense form was fastest ("gemm64", "gemm", "dl4j64", "dl4j", "blas-threads", "tiles")
     */
    public record Row(int threads, double percentage, double weightSparsity, Map<String, Timing> dense,
                      String bestDense, double bestDenseMs, Timing csr, double csrSpeedup, double neuronFlopShare,
                      Timing compact, double compactSpeedup, double compactVsFlopBound, double denseGflops,
                      double csrGflops, double compactGflops) {
    }

    public record Report(String model, int images, List<Integer> threads, int warmups, int repetitions,
                         int bestDenseBatch, int bestDl4jBatch, List<Row> rows) {
    }

    public static void main(String[] argv) throws Exception {
        CliArgs a = new CliArgs(argv);
        List<Integer> threadCounts = Arrays.stream(a.get("threads", "1,2").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        NativeThreads.configure(1, 1);
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

        int bestBatch = BatchSizes.fastest(b -> new DenseNetwork(model, b, 1), BatchSizes.CANDIDATES, x, n);
        int bestDl4j = BatchSizes.fastest(b -> new Dl4jForm(model, b, 1), BatchSizes.CANDIDATES, x, n);
        System.out.printf(Locale.ROOT, "model: %s%n%d test images, median of %d runs after %d warm-up; fastest dense "
                + "batch %d (ND4J gemm), %d (DL4J output), on one thread%n", source, n, policy.repetitions(),
                policy.warmups(), bestBatch, bestDl4j);
        List<Row> rows = new ArrayList<>();
        double fullFlops = flops(model);
        for (int threads : threadCounts) {
            System.out.printf(Locale.ROOT, "%n%d thread(s)%n%5s %9s %-12s %9s %7s %8s %9s %7s %8s %9s%n", threads,
                    "pct", "dense", "(which)", "csr", "csr x", "GF/s", "compact", "cmp x", "GF/s", "cmp/bound");
            for (double p : PERCENTAGES) {
                Mlp weight = Method.WEIGHT.apply(model, p, 0);
                Mlp neuron = Method.NEURON.apply(model, p, 0);
                Mlp compact = CompactedNetwork.compact(neuron);
                Map<String, Timing> dense = new LinkedHashMap<>();
                Timing csr;
                Timing cmp;
                if (threads == 1) {
                    dense.put("gemm64", timer.time(new DenseNetwork(weight, 64, 1), x, n));
                    dense.put("gemm", timer.time(new DenseNetwork(weight, bestBatch, 1), x, n));
                    dense.put("dl4j64", timer.time(new Dl4jForm(weight, 64, 1), x, n));
                    dense.put("dl4j", timer.time(new Dl4jForm(weight, bestDl4j, 1), x, n));
                    csr = timer.time(new CsrNetwork(weight), x, n);
                    cmp = timer.time(CompactedNetwork.form(neuron, bestBatch, 1), x, n);
                } else {
                    NativeThreads.configure(threads, threads);
                    dense.put("blas-threads", timer.time(new DenseNetwork(weight, bestBatch, threads), x, n));
                    Timing cmpBlas = timer.time(CompactedNetwork.form(neuron, bestBatch, threads), x, n);
                    NativeThreads.configure(1, 1);
                    // tiles of the set: batches near the best size, as many for every thread
                    int batches = threads * (int) Math.ceil((double) n / ((long) threads * bestBatch));
                    int tileBatch = (n + batches - 1) / batches;
                    dense.put("tiles", timer.time(new TiledForm(() -> new DenseNetwork(weight, tileBatch, 1),
                            threads), x, n));
                    csr = timer.time(new TiledForm(() -> new CsrNetwork(weight), threads), x, n);
                    Timing cmpTiles = timer.time(new TiledForm(() -> CompactedNetwork.form(neuron, tileBatch, 1),
                            threads), x, n);
                    // the compacted network too at the faster of its two ways to use the threads
                    cmp = cmpTiles.wallMedianMs() <= cmpBlas.wallMedianMs() ? cmpTiles : cmpBlas;
                }
                Map.Entry<String, Timing> best = dense.entrySet().stream()
                        .min(java.util.Comparator.comparingDouble(e -> e.getValue().wallMedianMs())).orElseThrow();
                double bestMs = best.getValue().wallMedianMs();
                double share = flops(compact) / fullFlops;
                // the target: compact time <= 1.3 x (FLOP share x the best dense time)
                double bound = cmp.wallMedianMs() / (share * bestMs);
                double denseGf = gflops(fullFlops, n, bestMs);
                double csrGf = gflops(2.0 * weight.nonZeros(), n, csr.wallMedianMs());
                double cmpGf = gflops(flops(compact), n, cmp.wallMedianMs());
                Row row = new Row(threads, p, org.prunelab.core.model.Sparsity.of(weight).overall(), dense,
                        best.getKey(), bestMs, csr, bestMs / csr.wallMedianMs(), share, cmp,
                        bestMs / cmp.wallMedianMs(), bound, denseGf, csrGf, cmpGf);
                rows.add(row);
                System.out.printf(Locale.ROOT, "%5s %9.1f %-12s %9.1f %6.2fx %8.1f %9.1f %6.2fx %8.1f %9.2f%n",
                        org.prunelab.core.pruning.Percentage.label(p), bestMs, "(" + best.getKey() + ", "
                                + String.format(Locale.ROOT, "%.0f", denseGf) + ")", csr.wallMedianMs(),
                        row.csrSpeedup(), csrGf, cmp.wallMedianMs(), row.compactSpeedup(), cmpGf, bound);
            }
        }
        Path json = Path.of(a.get("json", "runs/benchmark.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.pretty(new Report(source, n, threadCounts, policy.warmups(),
                policy.repetitions(), bestBatch, bestDl4j, rows)));
        System.out.printf("%nms for the whole test set; dense = the fastest dense form at that thread count (which, "
                + "its GFLOP/s); x = that / form; GF/s = the form's own multiply-adds x 2 per second; cmp/bound = "
                + "compact time / (its FLOP share x dense), target <= 1.3%nwritten %s%n", json);
    }

    private static double flops(Mlp mlp) {
        return 2.0 * mlp.parameters();
    }

    private static double gflops(double flopsPerImage, int images, double ms) {
        return flopsPerImage * images / (ms * 1e6);
    }
}
