package org.prunelab.runner.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.prunelab.core.analysis.Histogram;
import org.prunelab.core.analysis.LayerAnalysis;
import org.prunelab.core.analysis.RemovedShare;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.inference.LayerCost;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.runner.LotteryMeans;
import org.prunelab.runner.SeedMeans;
import org.prunelab.runner.ResultsTable;
import org.prunelab.runner.RunResults;

/**
 * A run's report: PNG charts of its figures against the pruning percentage, the trained model's weight and neuron
 * distributions and top-10 % spread per hidden layer, the share of weights each method removes, the results table
 * and conclusions drawn from the run's own numbers, in {@code report.md} beside the charts.
 */
public final class ReportWriter {
    private static final int W = 900;
    private static final int H = 520;

    static {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off screen, also on machines without X
    }

    private ReportWriter() {
    }

    /** Writes the report into {@code dir}; {@code trained} is the run's trained model (for the analyses). */
    public static List<Path> write(RunResults run, Mlp trained, Path dir) {
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            List<EvaluationEvent> all = run.evaluations();
            List<SeedMeans> means = SeedMeans.of(all);
            List<Long> seeds = SeedMeans.seeds(all);
            List<EvaluationEvent> rows = SeedMeans.timed(all);
            // the curves fall (accuracy) or rise (loss) to the right: the legend goes where they are not
            files.add(save(vsPercentage("Test accuracy vs pruning percentage" + over(seeds), "accuracy", means,
                    SeedMeans::accuracy, SeedMeans::accuracySd, LegendPosition.InsideSW), dir, "accuracy"));
            files.add(save(vsPercentage("Test loss vs pruning percentage" + over(seeds), "cross-entropy", means,
                    SeedMeans::loss, SeedMeans::lossSd, LegendPosition.InsideNW), dir, "loss"));
            files.add(save(accuracyVsRemoved(means, seeds), dir, "accuracy-vs-removed"));
            files.add(save(inferenceTime(rows), dir, "inference-time"));
            files.add(save(speedups(rows), dir, "speedup"));
            // each share prunes the whole model again: computed once, for the chart and the table
            List<Share> shares = shares(trained, rows, run.trained().training().seed());
            files.add(save(removedShare(shares), dir, "removed-share"));
            boolean withScratch = !method(rows, Method.SCRATCH).isEmpty();
            if (withScratch) {
                files.add(save(scratchVersusNeuron(run, means), dir, "scratch-vs-neuron"));
            }
            if (LotteryMeans.in(all)) {
                files.add(save(LotteryReport.accuracy(all), dir, "lottery-accuracy"));
                files.add(save(LotteryReport.bestIteration(all), dir, "lottery-best-iteration"));
            }
            List<LayerAnalysis> layers = LayerAnalysis.of(trained);
            for (LayerAnalysis l : layers) {
                files.add(save(histogram("Layer " + l.layer() + ": |weight|", l.weightMagnitudes()), dir,
                        "layer" + l.layer() + "-weight-magnitudes"));
                files.add(save(histogram("Layer " + l.layer() + ": neuron L2 norms (incoming)", l.neuronNorms()), dir,
                        "layer" + l.layer() + "-neuron-norms"));
                files.add(save(spread(l), dir, "layer" + l.layer() + "-top10-spread"));
            }
            files.add(Files.writeString(dir.resolve("report.md"), markdown(run, layers, withScratch, shares)));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Figure {
        double of(SeedMeans m);
    }

    private static String over(List<Long> seeds) {
        return seeds.size() > 1 ? " (mean +- sd over " + seeds.size() + " seeds)" : "";
    }

    /** A series per method and stage (fine-tuned dashed), with the seeds' standard deviation as error bars. */
    private static XYChart vsPercentage(String title, String yTitle, List<SeedMeans> means, Figure f, Figure sd,
                                        LegendPosition legend) {
        XYChart c = xy(title, yTitle);
        c.getStyler().setLegendPosition(legend);
        for (Method method : Method.pruning()) {
            for (Stage stage : Stage.GRID) {
                List<SeedMeans> m = SeedMeans.of(means, method, stage);
                if (!m.isEmpty()) {
                    series(c, label(method, stage), m.stream().mapToDouble(SeedMeans::percentage).toArray(), m, f, sd,
                            stage);
                }
            }
        }
        return c;
    }

    private static String label(Method method, Stage stage) {
        return method.label() + (stage == Stage.FINE_TUNED ? ", fine-tuned" : "");
    }

    private static void series(XYChart c, String name, double[] x, List<SeedMeans> m, Figure f, Figure sd,
                               Stage stage) {
        double[] y = m.stream().mapToDouble(f::of).toArray();
        double[] e = m.stream().mapToDouble(sd::of).toArray();
        var s = java.util.Arrays.stream(e).anyMatch(v -> v > 0) ? c.addSeries(name, x, y, e) : c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (stage == Stage.FINE_TUNED) {
            s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        }
    }

    /**
     * Accuracy against the share of all the model's weights a variant no longer holds, for every method and stage
     * and the from-scratch networks: neuron pruning removes whole rows too, so its percentages mean more removed.
     */
    private static XYChart accuracyVsRemoved(List<SeedMeans> means, List<Long> seeds) {
        XYChart c = xy("Test accuracy vs share of all weights removed" + over(seeds), "accuracy");
        c.setXAxisTitle("share of the model's weights removed");
        for (Method method : Method.values()) {
            for (Stage stage : Stage.GRID) {
                // records from before the removed share was recorded have none to place
                List<SeedMeans> m = SeedMeans.of(means, method, stage).stream().filter(r -> r.removed() > 0
                        || r.percentage() == 0).toList();
                if (!m.isEmpty()) {
                    series(c, label(method, stage), m.stream().mapToDouble(SeedMeans::removed).toArray(), m,
                            SeedMeans::accuracy, SeedMeans::accuracySd, stage);
                }
            }
        }
        c.getStyler().setLegendPosition(LegendPosition.InsideSW);
        return c;
    }

    private static XYChart inferenceTime(List<EvaluationEvent> rows) {
        XYChart c = xy("Inference time for the test set vs pruning percentage", "ms (median)");
        for (int threads : ResultsTable.threadCounts(rows)) {
            String on = ", " + threads + "t";
            List<EvaluationEvent> w = Conclusions.timedAt(method(rows, Method.WEIGHT), threads);
            List<EvaluationEvent> n = Conclusions.timedAt(method(rows, Method.NEURON), threads);
            if (!w.isEmpty()) {
                c.addSeries("dense" + on, pcts(w), w.stream().mapToDouble(e -> e.timing(threads).orElseThrow().dense()
                        .wallMedianMs()).toArray());
                c.addSeries("weight-pruned, CSR" + on, pcts(w), w.stream().mapToDouble(e -> e.timing(threads)
                        .orElseThrow().fast().wallMedianMs()).toArray());
            }
            if (!n.isEmpty()) {
                c.addSeries("neuron-pruned, compacted" + on, pcts(n), n.stream().mapToDouble(e -> e.timing(threads)
                        .orElseThrow().fast().wallMedianMs()).toArray());
            }
        }
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    /** Each method's speed-up at each thread count, log scale: 1x and 30x on one chart. */
    private static XYChart speedups(List<EvaluationEvent> rows) {
        XYChart c = xy("Speed-up of the fast form over the fastest dense form (median of timed pairs)",
                "dense time / fast time");
        for (int threads : ResultsTable.threadCounts(rows)) {
            for (Method method : Method.pruning()) {
                List<EvaluationEvent> m = Conclusions.timedAt(method(rows, method), threads);
                if (!m.isEmpty()) {
                    c.addSeries(method.label() + ", " + threads + "t", pcts(m), m.stream().mapToDouble(e -> e
                            .timing(threads).orElseThrow().speedup()).toArray()).setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        c.getStyler().setYAxisLogarithmic(true);
        // the curves rise to the right: the top left is free
        c.getStyler().setLegendPosition(LegendPosition.InsideNW);
        return c;
    }

    /** Accuracy of neuron-pruned networks and of networks of the same sizes trained from scratch (means). */
    private static XYChart scratchVersusNeuron(RunResults run, List<SeedMeans> means) {
        XYChart c = xy("Neuron-pruned vs trained from scratch at the same sizes", "test accuracy");
        for (Stage stage : Stage.GRID) {
            List<SeedMeans> n = SeedMeans.of(means, Method.NEURON, stage);
            if (!n.isEmpty()) {
                series(c, stage == Stage.ONE_SHOT ? "neuron-pruned (no retraining)" : "neuron-pruned, fine-tuned",
                        n.stream().mapToDouble(SeedMeans::percentage).toArray(), n, SeedMeans::accuracy,
                        SeedMeans::accuracySd, stage);
            }
        }
        // at 0 % the from-scratch network is the trained model itself
        List<SeedMeans> s = SeedMeans.of(means, Method.SCRATCH, Stage.ONE_SHOT);
        double unpruned = run.trainedModels().stream().mapToDouble(t -> t.testAccuracy()).average().orElse(Double.NaN);
        double[] x = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(0), s.stream()
                .mapToDouble(SeedMeans::percentage)).toArray();
        double[] y = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.of(unpruned), s.stream()
                .mapToDouble(SeedMeans::accuracy)).toArray();
        c.addSeries("trained from scratch", x, y).setMarker(SeriesMarkers.DIAMOND);
        c.getStyler().setLegendPosition(LegendPosition.InsideSW);
        return c;
    }

    /**
     * At one of the run's percentages: the share of all weights each method removes, and per layer what each
     * method's variant costs dense and in its fast form.
     */
    private record Share(double percentage, Map<Method, Double> removed, Map<Method, List<LayerCost>> costs) {
    }

    /** The pruning methods the report compares: weight and neuron pruning always, the others where the run has them. */
    private static List<Method> compared(List<EvaluationEvent> rows) {
        return Method.pruning().stream()
                .filter(m -> m == Method.WEIGHT || m == Method.NEURON || !method(rows, m).isEmpty()).toList();
    }

    /** @param seed the run's seed, which the pruner drew random masks from */
    private static List<Share> shares(Mlp trained, List<EvaluationEvent> rows, long seed) {
        List<Share> shares = new ArrayList<>();
        for (double p : rows.stream().mapToDouble(EvaluationEvent::percentage).distinct().sorted().toArray()) {
            Map<Method, List<LayerCost>> costs = new java.util.EnumMap<>(Method.class);
            Map<Method, Double> removed = new java.util.EnumMap<>(Method.class);
            for (Method m : compared(rows)) {
                costs.put(m, m.fastForm().costs(m.apply(trained, p, seed)));
                removed.put(m, RemovedShare.of(trained, costs.get(m)));
            }
            shares.add(new Share(p, removed, costs));
        }
        return shares;
    }

    private static XYChart removedShare(List<Share> shares) {
        XYChart c = xy("Share of all weights removed", "share of the network's weights");
        double[] p = shares.stream().mapToDouble(Share::percentage).toArray();
        for (Method m : shares.isEmpty() ? List.<Method>of() : shares.get(0).removed().keySet()) {
            c.addSeries(m.label(), p, shares.stream().mapToDouble(s -> s.removed().get(m)).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    private static CategoryChart histogram(String title, Histogram h) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle("value")
                .yAxisTitle("count").build();
        List<String> x = new ArrayList<>();
        List<Long> y = new ArrayList<>();
        for (int b = 0; b < h.counts().length; b++) {
            x.add(String.format(Locale.ROOT, "%.3g", h.centre(b)));
            y.add(h.counts()[b]);
        }
        c.addSeries("count", x, y);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setAvailableSpaceFill(0.95);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setXAxisTicksVisible(true);
        return c;
    }

    /** The top-10 % spread binned like the dashboard's panel, so that the x axis stays readable. */
    private static CategoryChart spread(LayerAnalysis l) {
        CategoryChart c = histogram(String.format(Locale.ROOT, "Layer %d: top 10 %% of weights per neuron (Gini %.2f)",
                l.layer(), l.topTenPercent().gini()), l.topTenPercent().histogram());
        c.setXAxisTitle("top-10 % weights a neuron receives (bin centre)");
        c.setYAxisTitle("neurons");
        return c;
    }

    private static String markdown(RunResults run, List<LayerAnalysis> layers, boolean withScratch,
                                   List<Share> shares) {
        StringBuilder b = new StringBuilder();
        b.append("# Pruning report: run ").append(run.runId()).append("\n\n");
        for (var t : run.trainedModels()) {
            b.append(String.format(Locale.ROOT, "Model `%s` (%s), trained on %s for %d epoch(s), seed %d, batch %d, "
                            + "learning rate %s: test accuracy %.4f, loss %.4f.%n", t.modelId(), t.sizes(), t.dataset(),
                    t.training().epochs(), t.training().seed(), t.training().batchSize(), t.training().learningRate(),
                    t.testAccuracy(), t.testLoss()));
        }
        var t = run.trained();
        if (t.fineTune().enabled()) {
            b.append(String.format(Locale.ROOT, "%nEvery pruned variant was also fine-tuned: retrained with its mask "
                    + "fixed (pruned weights stay zero) for %d epoch(s) at learning rate %s, and evaluated beside its "
                    + "one-shot self.%n", t.fineTune().epochs(), t.fineTune().learningRate()));
        }
        if (run.trainedModels().size() > 1) {
            b.append(String.format(Locale.ROOT, "%nAccuracies and losses are means over the %d seeds, with the "
                    + "sample standard deviation as error bars; the analyses and timings are of seed %d's model.%n",
                    run.trainedModels().size(), t.training().seed()));
        }
        b.append('\n');
        if (LotteryMeans.in(run.evaluations())) {
            lottery(b, run);
        }
        b.append("## Conclusions\n\n");
        for (String s : Conclusions.sentences(run.evaluations())) {
            b.append("- ").append(s).append('\n');
        }
        for (LayerAnalysis l : layers) {
            var s = l.topTenPercent();
            b.append(String.format(Locale.ROOT, "- Layer %d (%dx%d): the top 10 %% of weights reach %d of %d neurons "
                            + "(Gini %.2f, busiest neuron %.1fx the mean): %s%n", l.layer(), l.in(), l.out(),
                    l.out() - s.neuronsWithNone(), l.out(), s.gini(), s.maxOverMean(),
                    s.gini() < 0.5 ? "spread over most neurons, so removing whole neurons also removes important weights"
                            : "spread unevenly, so some neurons hold far more of them than others"));
        }
        b.append("\n## Charts\n\n");
        List<String> charts = new ArrayList<>(List.of("accuracy", "accuracy-vs-removed", "loss", "inference-time",
                "speedup", "removed-share"));
        if (withScratch) {
            charts.add("scratch-vs-neuron");
        }
        for (String name : charts) {
            b.append("![").append(name).append("](").append(name).append(".png)\n\n");
        }
        for (LayerAnalysis l : layers) {
            for (String kind : List.of("weight-magnitudes", "neuron-norms", "top10-spread")) {
                String name = "layer" + l.layer() + "-" + kind;
                b.append("![").append(name).append("](").append(name).append(".png)\n");
            }
            b.append('\n');
        }
        List<Method> compared = shares.isEmpty() ? List.of() : List.copyOf(shares.get(0).removed().keySet());
        b.append("## Share of all weights removed\n\n| percentage |");
        compared.forEach(m -> b.append(' ').append(m.id()).append(" |"));
        b.append("\n|---|").append("---|".repeat(compared.size())).append('\n');
        for (Share s : shares) {
            b.append("| ").append(Percentage.label(s.percentage())).append(" |");
            compared.forEach(m -> b.append(String.format(Locale.ROOT, " %.4f |", s.removed().get(m))));
            b.append('\n');
        }
        List<SeedMeans> global = SeedMeans.of(SeedMeans.of(run.evaluations()), Method.GLOBAL, Stage.ONE_SHOT);
        if (!global.isEmpty()) {
            int count = global.get(0).perLayerSparsity().size();
            b.append("\n## Per-layer sparsity global pruning chose\n\nOne magnitude threshold over all hidden layers: "
                    + "each layer's share of zeros is what its magnitudes earn (the output layer is never pruned).\n\n"
                    + "| percentage |");
            for (int k = 0; k < count; k++) {
                b.append(" layer ").append(k).append(" |");
            }
            b.append("\n|---|").append("---|".repeat(count)).append('\n');
            for (SeedMeans g : global) {
                b.append("| ").append(Percentage.label(g.percentage())).append(" |");
                g.perLayerSparsity().forEach(x -> b.append(String.format(Locale.ROOT, " %.4f |", x)));
                b.append('\n');
            }
        }
        b.append("\n## Per-layer cost of each form\n\nPer image: FLOPs count a multiply and an add per weight used; "
                + "bytes are what the form holds (CSR: float32 values, int32 column indices and row pointers).\n");
        for (Method m : Method.pruning()) {
            // the methods of the one-shot grid (a lottery run's random masks are not one)
            if (method(run.evaluations(), m).isEmpty() || shares.isEmpty() || !shares.get(0).costs().containsKey(m)) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%n### %s (%s)%n%n| percentage | layer | weights kept | sparsity "
                    + "| dense MFLOP | dense KB | %s shape | %s MFLOP | %s KB |%n|---|---|---|---|---|---|---|---|---|%n",
                    Conclusions.capital(m.label()), m.fastForm().description(), m.fastForm().id(), m.fastForm().id(),
                    m.fastForm().id()));
            for (Share s : shares) {
                for (LayerCost c : s.costs().get(m)) {
                    b.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.4f | %.3f | %.1f | %dx%d | %.3f | %.1f |%n",
                            Percentage.label(s.percentage()), c.layer(), c.kept(), c.sparsity(), c.denseFlops() / 1e6,
                            c.denseBytes() / 1024.0, c.fastIn(), c.fastOut(), c.fastFlops() / 1e6,
                            c.fastBytes() / 1024.0));
                }
            }
        }
        b.append("\n## Results\n\n```\n").append(ResultsTable.format(run)).append("```\n");
        return b.toString();
    }

    /** The lottery experiment's section: what ran, the answer, the charts and the table. */
    private static void lottery(StringBuilder b, RunResults run) {
        var t = run.trained();
        var l = t.lottery();
        b.append(String.format(Locale.ROOT, "## The lottery ticket%n%nPer seed the dense model was pruned by magnitude "
                + "in %d rounds, each removing %s %% of every hidden layer's remaining weights (the output layer is "
                + "not pruned); after each round the surviving weights were rewound to %s and trained again for %d "
                + "epoch(s) with the mask fixed. Controls at every round: the same mask from freshly drawn initial "
                + "weights (reinitialised), a random mask of the same per-layer counts from the rewound weights, the "
                + "dense model pruned one-shot to the round's percentage without retraining and fine-tuned for %d "
                + "epoch(s), and a dense network with as many weights trained from scratch. Test accuracy was "
                + "measured every %d iterations of every training (the best and when it came).%n%n",
                l.rounds(), Percentage.label(100 * l.rate()), l.rewindIteration() == 0 ? "their initial values"
                        : "their values after " + l.rewindIteration() + " iterations of the dense training",
                t.training().epochs(), t.fineTune().epochs(), l.testEvery()));
        for (String s : LotteryReport.sentences(run.evaluations())) {
            b.append("- ").append(s).append('\n');
        }
        b.append("\n![lottery accuracy](lottery-accuracy.png)\n\n![lottery best iteration]"
                + "(lottery-best-iteration.png)\n\n");
        b.append(LotteryReport.markdown(run.evaluations())).append('\n');
    }

    private static XYChart xy(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("pruning percentage")
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(LegendPosition.InsideNE);
        return c;
    }

    private static double[] pcts(List<EvaluationEvent> m) {
        return m.stream().mapToDouble(EvaluationEvent::percentage).toArray();
    }

    private static List<EvaluationEvent> method(List<EvaluationEvent> rows, Method method) {
        return rows.stream().filter(e -> e.method() == method)
                .sorted(java.util.Comparator.comparingDouble(EvaluationEvent::percentage)).toList();
    }

    private static Path save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

}
