package org.prunelab.runner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.runner.LotteryMeans;
import org.prunelab.runner.LotteryMeans.Kind;

/**
 * The lottery experiment's part of a run's report: its table, its two charts (accuracy, and the iteration of the
 * best accuracy, against the weights remaining) and the answer stated from the numbers. "Within the seeds' spread"
 * compares two means with the root of the sum of their sample variances ({@link LotteryMeans#spread}).
 */
public final class LotteryReport {
    private static final List<Kind> CURVES = List.of(Kind.TICKET, Kind.REINITIALIZED, Kind.RANDOM_MASK,
            Kind.ONE_SHOT, Kind.FINE_TUNED, Kind.SCRATCH);
    /** One colour per curve, told apart also in print: the ticket blue, its two controls warm, the rest cool. */
    private static final List<java.awt.Color> COLOURS = List.of(new java.awt.Color(0x1f77b4),
            new java.awt.Color(0xd62728), new java.awt.Color(0xff7f0e), new java.awt.Color(0x7f7f7f),
            new java.awt.Color(0x2ca02c), new java.awt.Color(0x9467bd));

    private LotteryReport() {
    }

    /** The answer: where the ticket matches the dense network, where it beats its controls, and when it learns. */
    public static List<String> sentences(List<EvaluationEvent> rows) {
        List<LotteryMeans> m = LotteryMeans.of(rows);
        List<String> out = new ArrayList<>();
        Optional<LotteryMeans> denseRow = LotteryMeans.of(m, Kind.DENSE).stream().findFirst();
        List<LotteryMeans> tickets = LotteryMeans.of(m, Kind.TICKET);
        if (denseRow.isEmpty() || tickets.isEmpty()) {
            return out;
        }
        LotteryMeans dense = denseRow.get();
        int seeds = dense.seeds();
        String over = seeds > 1 ? String.format(Locale.ROOT, " (means over %d seeds; within the seeds' spread: "
                + "within the root of the sum of both sample variances)", seeds) : " (one seed: no spread)";
        // down to where: the rounds from the first on where the ticket is no more than the spread below dense
        LotteryMeans lastMatch = null;
        LotteryMeans firstMiss = null;
        for (LotteryMeans t : tickets) {
            if (t.accuracy() >= dense.accuracy() - LotteryMeans.spread(t, dense)) {
                lastMatch = t;
            } else {
                firstMiss = t;
                break;
            }
        }
        if (lastMatch == null) {
            out.add(String.format(Locale.ROOT, "The rewound ticket does not match the dense network (accuracy %s) at "
                    + "any round: already %s with %s of the weights remaining%s.", dense.accuracyText(),
                    tickets.get(0).accuracyText(), share(tickets.get(0)), over));
        } else {
            out.add(String.format(Locale.ROOT, "The rewound ticket matches the dense network (accuracy %s) within the "
                    + "seeds' spread down to %s of the weights remaining (%s)%s%s.", dense.accuracyText(),
                    share(lastMatch), lastMatch.accuracyText(), firstMiss == null ? ", the last round"
                    : String.format(Locale.ROOT, "; at %s it falls to %s", share(firstMiss), firstMiss.accuracyText()),
                    over));
        }
        List<LotteryMeans> above = tickets.stream().filter(t -> t.accuracy() - dense.accuracy()
                > LotteryMeans.spread(t, dense)).toList();
        if (!above.isEmpty()) {
            out.add("It is more accurate than the dense network by more than the spread at " + shares(above) + ".");
        }
        for (Kind control : List.of(Kind.REINITIALIZED, Kind.RANDOM_MASK)) {
            List<LotteryMeans> beats = new ArrayList<>();
            List<LotteryMeans> not = new ArrayList<>();
            for (LotteryMeans t : tickets) {
                LotteryMeans.at(m, control, t.percentage()).ifPresent(c -> (t.accuracy() - c.accuracy()
                        > LotteryMeans.spread(t, c) ? beats : not).add(t));
            }
            if (beats.isEmpty() && not.isEmpty()) {
                out.add(String.format(Locale.ROOT, "It beats the %s control by more than the seeds' spread at no "
                        + "round.", control.label()));
            } else if (!beats.isEmpty()) {
                LotteryMeans low = beats.get(beats.size() - 1);
                LotteryMeans c = LotteryMeans.at(m, control, low.percentage()).orElseThrow();
                out.add(String.format(Locale.ROOT, "It beats the %s control by more than the seeds' spread at %s "
                        + "(at %s: %s against %s)%s.", control.label(), shares(beats), share(low),
                        low.accuracyText(), c.accuracyText(), not.isEmpty() ? "" : "; not at " + shares(not)));
            }
        }
        if (!Double.isNaN(dense.bestIteration())) {
            List<LotteryMeans> faster = tickets.stream().filter(t -> t.bestIteration() < dense.bestIteration())
                    .toList();
            List<LotteryMeans> slower = tickets.stream().filter(t -> !faster.contains(t)).toList();
            out.add(String.format(Locale.ROOT, "The dense network reached its best test accuracy at iteration %s; "
                    + "the ticket reached its own earlier at %s%s.", dense.bestIterationText(),
                    faster.isEmpty() ? "no round" : shares(faster) + " (" + faster.stream().map(
                    LotteryMeans::bestIterationText).collect(Collectors.joining(", ")) + ")",
                    faster.isEmpty() || slower.isEmpty() ? "" : ", and not earlier at " + shares(slower)));
        }
        LotteryMeans last = tickets.get(tickets.size() - 1);
        List<String> controls = new ArrayList<>();
        for (Kind k : List.of(Kind.REINITIALIZED, Kind.RANDOM_MASK, Kind.ONE_SHOT, Kind.FINE_TUNED)) {
            LotteryMeans.at(m, k, last.percentage()).ifPresent(c -> controls.add(k.label() + " " + c.accuracyText()));
        }
        LotteryMeans.at(m, Kind.SCRATCH, last.percentage()).ifPresent(c -> controls.add(Kind.SCRATCH.label() + " "
                + c.accuracyText() + " (" + share(c) + " of the weights)"));
        out.add(String.format(Locale.ROOT, "At the last round (%s of the weights remaining) the ticket reaches %s; %s.",
                share(last), last.accuracyText(), String.join(", ", controls)));
        return out;
    }

    /** The table: one row per round, accuracy and the best accuracy's iteration of every network. */
    public static String markdown(List<EvaluationEvent> rows) {
        List<LotteryMeans> m = LotteryMeans.of(rows);
        StringBuilder b = new StringBuilder();
        b.append("| pruned % | weights remaining |");
        for (Kind k : CURVES) {
            b.append(' ').append(k.label()).append(" |");
        }
        b.append(" ticket: best at iteration | reinitialised: best at | random mask: best at | scratch: best at |\n");
        b.append("|---|---|").append("---|".repeat(CURVES.size() + 4)).append('\n');
        LotteryMeans.of(m, Kind.DENSE).forEach(d -> b.append(String.format(Locale.ROOT,
                "| 0 (dense) | %s | %s |%s %s |%s\n", share(d), d.accuracyText(), " |".repeat(CURVES.size() - 1),
                d.bestIterationText(), " |".repeat(3))));
        for (LotteryMeans t : LotteryMeans.of(m, Kind.TICKET)) {
            b.append("| ").append(Percentage.label(t.percentage())).append(" | ").append(share(t)).append(" |");
            for (Kind k : CURVES) {
                b.append(' ').append(LotteryMeans.at(m, k, t.percentage()).map(LotteryMeans::accuracyText)
                        .orElse("-")).append(" |");
            }
            for (Kind k : List.of(Kind.TICKET, Kind.REINITIALIZED, Kind.RANDOM_MASK, Kind.SCRATCH)) {
                b.append(' ').append(LotteryMeans.at(m, k, t.percentage()).map(LotteryMeans::bestIterationText)
                        .orElse("-")).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Test accuracy against the weights remaining (log scale), every network, error bars over the seeds. */
    public static XYChart accuracy(List<EvaluationEvent> rows) {
        return chart(rows, "Lottery: test accuracy vs weights remaining", "test accuracy", false);
    }

    /** The iteration of the best test accuracy against the weights remaining: the "learns faster" half. */
    public static XYChart bestIteration(List<EvaluationEvent> rows) {
        return chart(rows, "Lottery: iteration of the best test accuracy vs weights remaining",
                "iteration of the best test accuracy", true);
    }

    private static XYChart chart(List<EvaluationEvent> rows, String title, String yTitle, boolean iterations) {
        List<LotteryMeans> m = LotteryMeans.of(rows);
        int seeds = m.stream().mapToInt(LotteryMeans::seeds).max().orElse(1);
        XYChart c = new XYChartBuilder().width(900).height(600).title(title + (seeds > 1
                ? " (mean +- sd over " + seeds + " seeds)" : "")).xAxisTitle("share of the model's weights remaining "
                + "(log scale)").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setLegendPosition(LegendPosition.OutsideS); // below the plot: the curves fill it
        Optional<LotteryMeans> dense = LotteryMeans.of(m, Kind.DENSE).stream().findFirst();
        for (Kind k : CURVES) {
            List<LotteryMeans> s = new ArrayList<>(LotteryMeans.of(m, k).stream()
                    .filter(r -> !iterations || !Double.isNaN(r.bestIteration())).toList());
            // a fine-tuning's iterations count from the pruned model, not from an initialisation
            if (s.isEmpty() || iterations && k == Kind.FINE_TUNED) {
                continue;
            }
            // every trained curve starts at the dense network, the same point for all
            if (dense.isPresent() && k != Kind.ONE_SHOT && k != Kind.FINE_TUNED
                    && (!iterations || !Double.isNaN(dense.get().bestIteration()))) {
                s.add(0, dense.get());
            }
            double[] x = s.stream().mapToDouble(LotteryMeans::remaining).toArray();
            double[] y = s.stream().mapToDouble(r -> iterations ? r.bestIteration() : r.accuracy()).toArray();
            double[] e = s.stream().mapToDouble(r -> iterations ? r.bestIterationSd() : r.accuracySd()).toArray();
            var series = seeds > 1 ? c.addSeries(k.label(), x, y, e) : c.addSeries(k.label(), x, y);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(COLOURS.get(CURVES.indexOf(k)));
            series.setMarkerColor(COLOURS.get(CURVES.indexOf(k)));
        }
        return c;
    }

    private static String share(LotteryMeans r) {
        double pct = 100 * r.remaining();
        return String.format(Locale.ROOT, pct >= 10 ? "%.1f %%" : "%.2f %%", pct);
    }

    private static String shares(List<LotteryMeans> rows) {
        return rows.stream().map(LotteryReport::share).collect(Collectors.joining(", "));
    }
}
