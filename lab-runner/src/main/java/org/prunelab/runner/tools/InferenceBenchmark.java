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
import org.prunelab.core.inference.DenseSetting;
import org.prunelab.core.inference.FastForm;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.inference.DenseNetwork;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.inference.InferenceTimer;
import org.prunelab.core.inference.TimingPolicy;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.Blas;
import org.prunelab.core.training.NativeThreads;

/**
 * bin/benchmark: CPU inference time of the whole test set for the fastest dense form, the CSR sparse form of the
 * weight-pruned model and the compacted neuron-pruned model, at each sparsity, all in one run, at each thread count
 * asked for (1 and 2 by default). The dense baseline at a thread count is the fastest of: the fastest
 * {@link DenseSetting} (batch size; above one thread, batch tiles or OpenBLAS's own threads) on each OpenBLAS build,
 * and at one thread ND4J's gemm and DL4J's output() at their fastest batch. Each fast form is timed in pairs with it,
 * as the evaluator does ({@link InferenceTimer#pairAll}, all of a thread count's pairings round by round): the
 * speed-up is the median pair ratio, with its 95 % interval. Each form's achieved GFLOP/s (its own multiply-adds x 2 /
 * time) stands beside dense's.
 */
public final class InferenceBenchmark {
    static final double[] PERCENTAGES = {0, 50, 70, 90, 95, 97, 99};

    /**
     * One line of a table, times in ms for the test set; ratios are dense / form, timed in pairs.
     *
     * @param dense the fastest dense form at this thread count, as timed in the CSR pairs
     */
    public record Row(int threads, double percentage, double weightSparsity, String denseForm, PairedTiming csr,
                      double neuronFlopShare, PairedTiming compact, double compactVsFlopBound, double denseGflops,
                      double csrGflops, double compactGflops) {
    }

    /** The dense candidates timed at a thread count, the fastest of which is the baseline. */
    public record Baseline(int threads, Map<String, Timing> candidates, String fastest) {
    }

    public record Report(String model, String cpu, String openblasBuilds, int images, List<Integer> threads,
                         int warmups, int repetitions, List<Baseline> baselines, List<Row> rows) {
    }

    public static void main(String[] argv) throws Exception {
        CliArgs a = new CliArgs(argv);
        List<Integer> threadCounts = Arrays.stream(a.get("threads", "1,2").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        NativeThreads.configure(1, 1);
        // the evaluator's policy: at least 7 pairs, more until the medians are known within its precision;
        // --repetitions N alone: exactly N
        TimingPolicy policy = TimingPolicy.STUDY.with(a.optionalInt("warmups"), a.optionalInt("repetitions"),
                a.optionalInt("max-repetitions"), a.optionalDouble("precision"));
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
        String cpu = cpuModel();
        String builds = Blas.builds().stream().map(Blas::label).collect(java.util.stream.Collectors.joining(", "));
        System.out.printf(Locale.ROOT, "model: %s%ncpu: %s (OpenBLAS builds: %s)%n%d test images; each fast form timed "
                + "in %d to %d pairs (%d at 2 threads) with the fastest dense form after %d warm-up(s), until every median "
                + "is known within %.1f %%%n", source, cpu, builds, n, policy.repetitions(), policy.maxRepetitions(),
                policy.mostPairs(2),
                policy.warmups(), 100 * policy.precision());
        List<Row> rows = new ArrayList<>();
        List<Baseline> baselines = new ArrayList<>();
        double fullFlops = flops(model);
        for (int threads : threadCounts) {
            // the dense pass costs the same whatever the weights: its candidates are timed once per thread count
            Map<String, Timing> candidates = new LinkedHashMap<>();
            Map<String, java.util.function.Function<Mlp, InferenceForm>> makers = new LinkedHashMap<>();
            Map<String, DenseSetting> gemmSettings = new LinkedHashMap<>();
            for (Blas blas : Blas.builds()) {
                DenseSetting setting = DenseSetting.fastest(model, DenseSetting.BATCHES, threads, x, n, List.of(blas));
                makers.put("gemm " + setting.label(), m -> setting.build("dense", m));
                gemmSettings.put("gemm " + setting.label(), setting);
            }
            if (threads == 1) {
                int nd4j = fastestBatch(b -> new DenseNetwork(model, b, 1), x, n);
                int dl4j = fastestBatch(b -> new Dl4jForm(model, b, 1), x, n);
                makers.put("nd4j batch " + nd4j, m -> new DenseNetwork(m, nd4j, 1));
                makers.put("dl4j batch " + dl4j, m -> new Dl4jForm(m, dl4j, 1));
            }
            makers.forEach((name, make) -> candidates.put(name, timer.time(make.apply(model), x, n)));
            String fastest = candidates.entrySet().stream().min(java.util.Comparator.comparingDouble(
                    e -> e.getValue().wallMedianMs())).orElseThrow().getKey();
            baselines.add(new Baseline(threads, candidates, fastest));
            System.out.printf(Locale.ROOT, "%n%d thread(s): dense baseline %s (%s)%n%5s %9s %9s %7s %-13s %7s %9s "
                            + "%7s %-13s %7s %9s%n", threads, fastest, candidates.entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), e.getValue().wallMedianMs()))
                            .collect(java.util.stream.Collectors.joining(", ")), "pct", "dense", "csr", "csr x",
                    "(pairs)", "GF/s", "compact", "cmp x", "(pairs)", "GF/s", "cmp/bound");
            // every form of the table timed together, round by round, as the evaluator times a run's variants: the
            // dense passes of all rows then come from the same minutes of the machine
            List<InferenceTimer.Pairing> pairings = new ArrayList<>();
            List<Mlp> weights = new ArrayList<>();
            List<Mlp> compacts = new ArrayList<>();
            for (double p : PERCENTAGES) {
                Mlp weight = Method.WEIGHT.apply(model, p, 0);
                Mlp neuron = Method.NEURON.apply(model, p, 0);
                Mlp compact = CompactedNetwork.compact(neuron);
                weights.add(weight);
                compacts.add(compact);
                pairings.add(new InferenceTimer.Pairing(makers.get(fastest).apply(weight),
                        FastForm.CSR.build(weight, new DenseSetting(1, threads, true))));
                // a network neuron pruning left whole is the dense network: it runs at the baseline's setting, as in
                // the evaluator, which searches once per shape
                DenseSetting cmpSetting = compact.sizes().equals(model.sizes()) && gemmSettings.containsKey(fastest)
                        ? gemmSettings.get(fastest) : DenseSetting.fastest(compact, DenseSetting.BATCHES, threads, x, n);
                pairings.add(new InferenceTimer.Pairing(makers.get(fastest).apply(neuron),
                        FastForm.COMPACT.build(neuron, cmpSetting)));
            }
            List<PairedTiming> timed = timer.pairAll(pairings, x, n);
            for (int i = 0; i < PERCENTAGES.length; i++) {
                double p = PERCENTAGES[i];
                Mlp weight = weights.get(i);
                Mlp compact = compacts.get(i);
                PairedTiming csr = timed.get(2 * i);
                PairedTiming cmp = timed.get(2 * i + 1);
                // one dense figure per percentage: the median over both pairings' dense passes
                double denseMs = (csr.dense().wallMedianMs() + cmp.dense().wallMedianMs()) / 2;
                double share = flops(compact) / fullFlops;
                // the target: compact time <= 1.3 x (FLOP share x the dense time), judged by the pairs' ratio
                double bound = 1 / (cmp.speedup() * share);
                Row row = new Row(threads, p, org.prunelab.core.model.Sparsity.of(weight).overall(), fastest, csr,
                        share, cmp, bound, gflops(fullFlops, n, denseMs),
                        // the nonzeros the CSR form multiplies: those between neurons that can change the outputs
                        gflops(2.0 * FastForm.CSR.parameters(weight), n, csr.fast().wallMedianMs()),
                        gflops(flops(compact), n, cmp.fast().wallMedianMs()));
                rows.add(row);
                System.out.printf(Locale.ROOT, "%5s %9.1f %9.1f %6.2fx %-13s %7.1f %9.1f %6.2fx %-13s %7.1f %9.2f%n",
                        org.prunelab.core.pruning.Percentage.label(p), denseMs, csr.fast().wallMedianMs(),
                        csr.speedup(), range(csr), row.csrGflops(), cmp.fast().wallMedianMs(), cmp.speedup(),
                        range(cmp), row.compactGflops(), bound);
            }
            System.out.printf(Locale.ROOT, "dense GF/s at %d thread(s): %.1f; %d pairs per form%n", threads,
                    rows.stream().filter(r -> r.threads() == threads).mapToDouble(Row::denseGflops).average()
                            .orElse(0), timed.get(0).dense().repetitions());
        }
        Path json = Path.of(a.get("json", "runs/benchmark.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.pretty(new Report(source, cpu, builds, n, threadCounts,
                policy.warmups(), policy.repetitions(), baselines, rows)));
        System.out.printf("%nms for the whole test set; dense = the fastest dense form at that thread count (median "
                + "of its passes in both pairings); x = median of the pair ratios dense / form, (pairs) its 95 %% "
                + "interval; "
                + "GF/s = the form's own multiply-adds x 2 per second; cmp/bound = compact time / (its FLOP share x "
                + "dense) from the pairs' median ratio, target <= 1.3%nwritten %s%n", json);
    }

    private static String range(PairedTiming t) {
        return String.format(Locale.ROOT, "(%.2f-%.2f)", t.speedupAtLeast(), t.speedupAtMost());
    }

    /** The batch at which {@code make} runs fastest, searched as the evaluator searches its dense settings. */
    private static int fastestBatch(java.util.function.Function<Integer, InferenceForm> make, float[] x, int n) {
        return InferenceTimer.fastest(DenseSetting.BATCHES, make, x, DenseSetting.searchImages(DenseSetting.BATCHES,
                1, n), n);
    }

    /** lscpu's model name, for the record: figures compare only within one machine. */
    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double flops(Mlp mlp) {
        return 2.0 * mlp.parameters();
    }

    private static double gflops(double flopsPerImage, int images, double ms) {
        return flopsPerImage * images / (ms * 1e6);
    }
}
