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
import org.prunelab.core.pruning.Percentage;

/** A run's results as a table: printed, and written as JSON and CSV. */
public final class ResultsTable {
    private static final String HEADER = String.format(Locale.ROOT, "%-7s %5s %8s %8s %8s %10s %-8s %10s %8s  %s",
            "method", "pct", "sparsity", "loss", "accuracy", "dense ms", "fast", "fast ms", "speed-up",
            "timed pairs");
    private static final String CSV_HEADER = "run_id,dataset,model_id,method,percentage,sparsity,nonzero_parameters,"
            + "test_loss,test_accuracy,dense_ms_median,dense_ms_min,dense_ms_max,fast_form,fast_ms_median,fast_ms_min,"
            + "fast_ms_max,speedup,fast_max_abs_diff,threads,seed,speedup_low,speedup_high";

    private ResultsTable() {
    }

    public static String format(RunResults run) {
        StringBuilder b = new StringBuilder();
        var t = run.trained();
        if (t != null) {
            b.append(String.format(Locale.ROOT, "run %s: %s, %s, %d epoch(s), seed %d, trained accuracy %.4f (%.1f s/epoch)%n",
                    run.runId(), t.dataset(), t.sizes(), t.training().epochs(), t.training().seed(), t.testAccuracy(),
                    t.secondsPerEpoch()));
        }
        b.append(HEADER).append('\n');
        for (EvaluationEvent e : run.evaluations()) {
            b.append(String.format(Locale.ROOT, "%-7s %5s %8.4f %8.4f %8.4f %10.1f %-8s %10.1f %7.2fx  %s%n",
                    e.method().id(), Percentage.label(e.percentage()), e.sparsity().overall(), e.testLoss(),
                    e.testAccuracy(), e.dense().wallMedianMs(), e.fastForm(), e.fast().wallMedianMs(), e.speedup(),
                    e.speedupLow() > 0 ? String.format(Locale.ROOT, "%.2f-%.2fx", e.speedupLow(), e.speedupHigh())
                            : "-"));
        }
        return b.toString();
    }

    /** Writes results.json (every evaluation event in full) and results.csv into {@code dir}. */
    public static void write(RunResults run, Path dir) {
        List<EvaluationEvent> rows = run.evaluations();
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (EvaluationEvent e : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%.6f,%d,%.6f,%.6f,%.3f,%.3f,%.3f,%s,%.3f,%.3f,%.3f,%.4f,%.3g,%d,%d,%.4f,%.4f%n",
                    e.runId(), e.dataset(), e.modelId(), e.method().id(), Percentage.label(e.percentage()),
                    e.sparsity().overall(), e.fastParameters(), e.testLoss(), e.testAccuracy(), e.dense().wallMedianMs(),
                    e.dense().wallMinMs(), e.dense().wallMaxMs(), e.fastForm(), e.fast().wallMedianMs(),
                    e.fast().wallMinMs(), e.fast().wallMaxMs(), e.speedup(), e.fastMaxAbsDiff(), e.dense().threads(),
                    e.seed(), e.speedupLow(), e.speedupHigh()));
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), Json.pretty(new Document(run.trained(), rows)));
            Files.writeString(dir.resolve("results.csv"), csv.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The JSON file: the trained model's event and every evaluation. */
    public record Document(TrainedModelEvent trainedModel, List<EvaluationEvent> evaluations) {
    }

    /** A run as written by {@link #write}, read back from its results.json. */
    public static RunResults read(Path resultsJson) {
        try {
            Document d = Json.read(Files.readString(resultsJson), Document.class);
            RunResults r = new RunResults(d.trainedModel().runId());
            r.add(d.trainedModel());
            for (EvaluationEvent e : d.evaluations()) {
                r.add(e, Json.write(e));
            }
            return r;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
