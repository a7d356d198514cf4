package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.Json;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Stage;

/** A run's results as a table: printed, and written as JSON and CSV. */
public final class ResultsTable {
    private static final String CSV_HEADER = "run_id,dataset,model_id,method,percentage,sparsity,nonzero_parameters,"
            + "test_loss,test_accuracy,dense_ms_median,dense_ms_min,dense_ms_max,fast_form,fast_ms_median,fast_ms_min,"
            + "fast_ms_max,speedup,fast_max_abs_diff,threads,seed,speedup_low,speedup_high,dense_way,dense_batch,"
            + "fast_way,stage,dense_blas";

    private ResultsTable() {
    }

    /** The thread counts the run's variants were timed at, fewest first. */
    public static List<Integer> threadCounts(List<EvaluationEvent> rows) {
        return rows.stream().flatMap(e -> e.timings().stream()).map(PairedTiming::threads).distinct().sorted()
                .toList();
    }

    public static String format(RunResults run) {
        StringBuilder b = new StringBuilder();
        for (var t : run.trainedModels()) {
            b.append(String.format(Locale.ROOT, "run %s: %s, %s, %d epoch(s), seed %d, trained accuracy %.4f (%.1f s/epoch)%n",
                    run.runId(), t.dataset(), t.sizes(), t.training().epochs(), t.training().seed(), t.testAccuracy(),
                    t.secondsPerEpoch()));
        }
        List<EvaluationEvent> rows = run.evaluations();
        if (SeedMeans.seeds(rows).size() > 1) {
            return b.append(means(rows)).toString();
        }
        List<Integer> threads = threadCounts(rows);
        b.append(String.format(Locale.ROOT, "%-9s %5s %8s %8s %8s %-8s", "method", "pct", "sparsity", "loss",
                "accuracy", "fast"));
        for (int n : threads) {
            b.append(String.format(Locale.ROOT, " | %9s %9s %8s %-12s", "dense ms", "fast ms", "speed-up",
                    "pairs (" + n + "t)"));
        }
        b.append('\n');
        for (EvaluationEvent e : rows) {
            b.append(String.format(Locale.ROOT, "%-9s %5s %8.4f %8.4f %8.4f %-8s", e.method().id() + e.stage().suffix(),
                    Percentage.label(e.percentage()), e.sparsity().overall(), e.testLoss(), e.testAccuracy(),
                    e.fastForm()));
            for (int n : threads) {
                b.append(e.timing(n).map(p -> String.format(Locale.ROOT, " | %9.1f %9.1f %7.2fx %-12s",
                        p.dense().wallMedianMs(), p.fast().wallMedianMs(), p.speedup(), String.format(Locale.ROOT,
                                "%.2f-%.2fx", p.speedupAtLeast(), p.speedupAtMost())))
                        .orElse(String.format(Locale.ROOT, " | %9s %9s %8s %-12s", "-", "-", "-", "-")));
            }
            b.append('\n');
        }
        if (rows.stream().anyMatch(e -> e.stage() == Stage.FINE_TUNED)) {
            b.append("(+ft: fine-tuned with its mask fixed").append(lotteryNote(rows)).append(")\n");
        }
        return b.toString();
    }

    /**
     * The table of a run with several seeds: per method, stage and percentage the mean +- standard deviation over
     * the seeds of loss and accuracy, and each thread count's median speed-up with the range over the seeds.
     */
    static String means(List<EvaluationEvent> rows) {
        StringBuilder b = new StringBuilder();
        List<Integer> threads = threadCounts(rows);
        b.append(String.format(Locale.ROOT, "%-9s %5s %8s %17s %17s %5s", "method", "pct", "sparsity",
                "loss (mean+-sd)", "accuracy (mean+-sd)", "seeds"));
        for (int n : threads) {
            b.append(String.format(Locale.ROOT, " | %-22s", "speed-up " + n + "t (seeds)"));
        }
        b.append('\n');
        for (SeedMeans m : SeedMeans.of(rows)) {
            b.append(String.format(Locale.ROOT, "%-9s %5s %8.4f %8.4f+-%-7.4f %8.4f+-%-8.4f %5d",
                    m.method().id() + m.stage().suffix(), Percentage.label(m.percentage()), m.sparsity(), m.loss(),
                    m.lossSd(), m.accuracy(), m.accuracySd(), m.seeds()));
            List<EvaluationEvent> group = rows.stream().filter(e -> e.method() == m.method() && e.stage() == m.stage()
                    && e.percentage() == m.percentage()).toList();
            for (int n : threads) {
                double[] x = group.stream().flatMap(e -> e.timing(n).stream()).mapToDouble(PairedTiming::speedup)
                        .sorted().toArray();
                double median = x.length == 0 ? Double.NaN : x.length % 2 == 1 ? x[x.length / 2]
                        : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
                b.append(String.format(Locale.ROOT, " | %-22s", x.length == 0 ? "-" : String.format(Locale.ROOT,
                        "%.2fx (%.2f-%.2fx)", median, x[0], x[x.length - 1])));
            }
            b.append('\n');
        }
        b.append("(+ft: fine-tuned with its mask fixed").append(lotteryNote(rows))
                .append("; sd: sample standard deviation over the seeds)\n");
        return b.toString();
    }

    /**
     * Writes results.json (every evaluation event in full) and results.csv into {@code dir}; the CSV has one line
     * per variant and thread count.
     */
    public static void write(RunResults run, Path dir) {
        List<EvaluationEvent> rows = run.evaluations();
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (EvaluationEvent e : rows) {
            for (PairedTiming p : e.timings()) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%.6f,%d,%.6f,%.6f,%.3f,%.3f,%.3f,%s,%.3f,%.3f,%.3f,%.4f,%.3g,%d,%d,%.4f,%.4f,%s,%d,%s,%s,%s%n",
                        e.runId(), e.dataset(), e.modelId(), e.method().id(), Percentage.label(e.percentage()),
                        e.sparsity().overall(), e.fastParameters(), e.testLoss(), e.testAccuracy(),
                        p.dense().wallMedianMs(), p.dense().wallMinMs(), p.dense().wallMaxMs(), e.fastForm(),
                        p.fast().wallMedianMs(), p.fast().wallMinMs(), p.fast().wallMaxMs(), p.speedup(),
                        e.fastMaxAbsDiff(), p.threads(), e.seed(), p.speedupAtLeast(), p.speedupAtMost(),
                        p.dense().way(), p.dense().batchSize(), p.fast().way(), e.stage().id(),
                        p.dense().blas() == null ? "" : p.dense().blas()));
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), Json.pretty(new Document(run.trained(), rows,
                    run.trainedModels())));
            Files.writeString(dir.resolve("results.csv"), csv.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The JSON file: the (first seed's) trained model's event, every evaluation, and every seed's model (absent in
     * files written before seeds).
     */
    public record Document(TrainedModelEvent trainedModel, List<EvaluationEvent> evaluations,
                           List<TrainedModelEvent> trainedModels) {
    }

    /** A run as written by {@link #write}, read back from its results.json. */
    public static RunResults read(Path resultsJson) {
        try {
            Document d = Json.read(Files.readString(resultsJson), Document.class);
            RunResults r = new RunResults(d.trainedModel().runId());
            r.add(d.trainedModel());
            if (d.trainedModels() != null) {
                d.trainedModels().forEach(r::add);
            }
            for (EvaluationEvent e : d.evaluations()) {
                r.add(e, Json.write(e));
            }
            return r;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** What the lottery rows' suffixes mean, for a run that has them. */
    private static String lotteryNote(List<EvaluationEvent> rows) {
        return rows.stream().anyMatch(e -> e.stage().lottery()) ? "; +rw: a lottery round's mask on the rewound "
                + "weights, trained again (weight: the ticket, random: a random mask); +ri: the ticket's mask from "
                + "fresh initial weights" : "";
    }
}
