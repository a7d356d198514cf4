package org.prunelab.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.training.Lanes;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingEngine;

/**
 * Training benchmark: seconds per epoch of each engine at each thread count, and of a plain numpy implementation
 * of the same network and optimiser on the same images (when a python3 with numpy is present), measured in one
 * run; then the nine from-scratch networks of the baseline against the model, on the fastest engine.
 * {@code bin/benchmark-training [--dataset mnist] [--limit 0] [--epochs 1] [--engines gemm,dl4j] [--threads 1,2]
 * [--python python3] [--no-numpy] [--no-scratch] [--json runs/training-benchmark.json]}.
 */
public final class TrainingBenchmark {
    private static final String NUMPY_SCRIPT = "lab-runner/src/main/python/numpy_reference.py";

    /** One configuration's measurement; ratio is its time over numpy's at the same thread count (0 without numpy). */
    public record Row(String engine, int threads, double secondsPerEpoch, double accuracy, double numpyRatio) {
    }

    /**
     * @param lanes   networks trained side by side, each with threads / lanes threads
     * @param seconds each network's seconds per epoch (on its lane)
     * @param total   the baseline's wall seconds per epoch, all lanes together
     */
    public record Scratch(String engine, int threads, int lanes, List<Double> percentages,
                          List<List<Integer>> hiddenSizes, List<Double> seconds, double total, double model,
                          double ratio) {
    }

    public record Report(String cpu, String dataset, int examples, int epochs, List<Integer> sizes, int batch,
                         List<Row> rows, Scratch scratch, String numpyNote) {
    }

    public static void main(String[] args) throws Exception {
        CliArgs a = new CliArgs(args);
        String dataset = Datasets.checkName(a.get("dataset", "mnist"));
        TrainingConfig d = TrainingConfig.defaults(dataset);
        TrainingConfig config = new TrainingConfig(dataset, d.hiddenSizes(), a.getInt("epochs", 1), d.batchSize(),
                d.learningRate(), d.seed(), a.getInt("limit", 0));
        List<TrainingEngine> engines = Arrays.stream(a.get("engines", "gemm,dl4j").split(","))
                .map(TrainingEngine::of).toList();
        List<Integer> threads = Arrays.stream(a.get("threads", "1,2").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        Path dataDir = Path.of(a.get("data", "data"));
        Datasets datasets = new Datasets(dataDir);
        LabeledImages train = datasets.train(dataset);
        LabeledImages test = datasets.test(dataset);
        int examples = config.trainLimit() > 0 ? Math.min(config.trainLimit(), train.count()) : train.count();
        List<Integer> sizes = config.layerSizes(train.features(), train.classes());
        String cpu = cpuModel();
        System.out.printf(Locale.ROOT, "training benchmark: %s, %d training images, %d epoch(s) per configuration, %s, "
                        + "batch %d, Adam %.0e%nCPU: %s%n", dataset, examples, config.epochs(),
                sizes.stream().map(String::valueOf).collect(Collectors.joining("-")), config.batchSize(),
                config.learningRate(), cpu);

        List<Row> rows = new ArrayList<>();
        for (TrainingEngine engine : engines) {
            warmUp(engine, config, train, test);
            for (int t : threads) {
                MlpTrainer.Result r = new MlpTrainer(1_000_000, engine, t).train(config, train, test,
                        new MlpTrainer.Progress() { });
                rows.add(new Row(engine.id(), t, r.secondsPerEpoch(), r.last().testAccuracy(), 0));
                System.out.printf(Locale.ROOT, "  %-6s %d thread(s): %6.2f s per epoch, accuracy %.4f%n", engine.id(), t,
                        r.secondsPerEpoch(), r.last().testAccuracy());
            }
        }
        String numpyNote = null;
        Map<Integer, Double> numpy = new java.util.TreeMap<>();
        if (!a.flag("no-numpy")) {
            String python = a.get("python", "python3");
            numpyNote = numpyMissing(python);
            if (numpyNote == null) {
                for (int t : threads) {
                    JsonNode n = runNumpy(python, dataDir.resolve(dataset), config, t);
                    numpy.put(t, n.get("secondsPerEpoch").asDouble());
                    rows.add(new Row("numpy " + n.get("numpy").asText(), t, n.get("secondsPerEpoch").asDouble(),
                            n.get("accuracy").asDouble(), 1));
                    System.out.printf(Locale.ROOT, "  numpy  %d thread(s): %6.2f s per epoch, accuracy %.4f%n", t,
                            n.get("secondsPerEpoch").asDouble(), n.get("accuracy").asDouble());
                }
            } else {
                System.out.println("numpy comparison skipped: " + numpyNote);
            }
        }
        rows = rows.stream().map(r -> numpy.containsKey(r.threads()) && !r.engine().startsWith("numpy")
                ? new Row(r.engine(), r.threads(), r.secondsPerEpoch(), r.accuracy(),
                r.secondsPerEpoch() / numpy.get(r.threads()))
                : r).toList();

        Scratch scratch = null;
        if (!a.flag("no-scratch")) {
            Row best = rows.stream().filter(r -> !r.engine().startsWith("numpy"))
                    .min((x, y) -> Double.compare(x.secondsPerEpoch(), y.secondsPerEpoch())).orElseThrow();
            scratch = scratch(TrainingEngine.of(best.engine()), best.threads(), a.getInt("scratch-lanes", 2),
                    best.secondsPerEpoch(), config, train, test);
        }

        System.out.printf(Locale.ROOT, "%n| engine | threads | s per epoch | x numpy, same threads | test accuracy |%n"
                + "|---|---|---|---|---|%n");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %s | %.4f |%n", r.engine(), r.threads(),
                    r.secondsPerEpoch(), r.numpyRatio() > 0 ? String.format(Locale.ROOT, "%.2f", r.numpyRatio()) : "-",
                    r.accuracy());
        }
        if (!numpy.isEmpty()) {
            double bestNumpy = numpy.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            rows.stream().filter(r -> !r.engine().startsWith("numpy"))
                    .min((x, y) -> Double.compare(x.secondsPerEpoch(), y.secondsPerEpoch()))
                    .ifPresent(r -> System.out.printf(Locale.ROOT, "fastest: %s at %d thread(s), %.2f x numpy's fastest "
                            + "(%.2f s), target <= 0.6%n", r.engine(), r.threads(), r.secondsPerEpoch() / bestNumpy,
                            bestNumpy));
        }
        if (scratch != null) {
            System.out.printf(Locale.ROOT, "from-scratch baseline (%s, %d thread(s), %d lane(s)): %d networks %.2f s "
                            + "per epoch together = %.2f x the model's %.2f s, target <= 1.5%n", scratch.engine(),
                    scratch.threads(), scratch.lanes(), scratch.seconds().size(), scratch.total(), scratch.ratio(),
                    scratch.model());
        }
        Path json = Path.of(a.get("json", "runs/training-benchmark.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.pretty(new Report(cpu, dataset, examples, config.epochs(), sizes,
                config.batchSize(), rows, scratch, numpyNote)));
        System.out.println("written " + json);
    }

    /** A few hundred steps so that the first timed configuration does not pay for the JIT. */
    private static void warmUp(TrainingEngine engine, TrainingConfig config, LabeledImages train, LabeledImages test) {
        TrainingConfig warm = new TrainingConfig(config.dataset(), config.hiddenSizes(), 1, config.batchSize(),
                config.learningRate(), config.seed(), 64 * 150);
        new MlpTrainer(1_000_000, engine, 1).train(warm, train, test.head(1000), new MlpTrainer.Progress() { });
    }

    private static Scratch scratch(TrainingEngine engine, int threads, int asked, double modelSeconds,
                                   TrainingConfig config, LabeledImages train, LabeledImages test) {
        List<Double> percentages = ScratchBaseline.percentages(Percentage.DEFAULTS);
        List<TrainingConfig> configs = percentages.stream().map(p -> ScratchBaseline.config(config, p)).toList();
        List<List<Integer>> hidden = configs.stream().map(TrainingConfig::hiddenSizes).toList();
        int lanes = Lanes.effective(asked, threads);
        long start = System.nanoTime();
        List<Double> seconds = Lanes.map(configs,
                c -> Lanes.weights(c.layerSizes(train.features(), train.classes())), asked, threads, (c, each) -> {
                    MlpTrainer.Result r = new MlpTrainer(1_000_000, engine, each).train(c, train, test,
                            new MlpTrainer.Progress() { });
                    System.out.printf(Locale.ROOT, "  from scratch %-18s %6.2f s per epoch%n", c.hiddenSizes(),
                            r.secondsPerEpoch());
                    return r.secondsPerEpoch();
                });
        // lanes overlap: the baseline's cost is its wall time (per epoch), not the sum of its networks' times
        double total = (System.nanoTime() - start) / 1e9 / config.epochs();
        return new Scratch(engine.id(), threads, lanes, percentages, hidden, seconds, total, modelSeconds,
                total / modelSeconds);
    }

    /** Null when python can run the reference, else why not. */
    private static String numpyMissing(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return python + " has no numpy (" + out.lines().reduce((x, y) -> y).orElse("") + ")";
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "no " + python + " (" + e.getMessage() + ")";
        }
    }

    private static JsonNode runNumpy(String python, Path data, TrainingConfig config, int threads)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(python, NUMPY_SCRIPT, "--data", data.toString(), "--hidden",
                config.hiddenSizes().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--epochs", String.valueOf(config.epochs()), "--batch", String.valueOf(config.batchSize()),
                "--lr", String.valueOf(config.learningRate()), "--limit", String.valueOf(config.trainLimit()),
                "--seed", String.valueOf(config.seed()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
            pb.environment().put(v, String.valueOf(threads));
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the numpy reference failed: " + String.join(" ", cmd));
        }
        return Json.MAPPER.readTree(out.lines().reduce((x, y) -> y).orElseThrow());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown")
                    + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                    + (org.prunelab.core.training.Blas.unavailable() == null
                    ? org.prunelab.core.training.Blas.standard().label() : "no OpenBLAS");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
