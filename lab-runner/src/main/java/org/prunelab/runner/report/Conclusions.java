package org.prunelab.runner.report;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.runner.SeedMeans;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.runner.ResultsTable;

/** Sentences drawn from a run's own numbers, for the report. */
public final class Conclusions {
    /** "Within one point" of the unpruned accuracy. */
    static final double ONE_POINT = 0.01;

    private Conclusions() {
    }

    /** "Within half a point": the bar for fine-tuned variants. */
    static final double HALF_POINT = 0.005;

    /**
     * The largest percentage up to which the method's one-shot variants stay within one point of its 0 % accuracy
     * (means over the seeds), or NaN when the method has no 0 % variant to compare with.
     */
    public static double keepsAccuracyUpTo(List<EvaluationEvent> rows, Method method) {
        List<SeedMeans> m = SeedMeans.of(SeedMeans.of(rows), method, Stage.ONE_SHOT);
        SeedMeans base = m.stream().filter(r -> r.percentage() == 0).findFirst().orElse(null);
        return base == null ? Double.NaN : keepsAccuracyUpTo(m, base.accuracy(), ONE_POINT);
    }

    /** The largest percentage up to which every row (by percentage) stays within {@code within} of {@code base}. */
    static double keepsAccuracyUpTo(List<SeedMeans> rows, double base, double within) {
        double upTo = 0;
        for (SeedMeans r : rows) {
            if (r.accuracy() < base - within) {
                break;
            }
            upTo = r.percentage();
        }
        return upTo;
    }

    /**
     * The smallest percentage from which the fast form beats dense at every higher percentage, at the run's first
     * (fewest) thread count, or NaN if none.
     */
    public static double fastFormWinsFrom(List<EvaluationEvent> rows, Method method) {
        List<Integer> threads = ResultsTable.threadCounts(rows);
        return threads.isEmpty() ? Double.NaN : fastFormWinsFrom(rows, method, threads.get(0), 1);
    }

    /**
     * The smallest percentage from which the fast form's speed-up at {@code threads} exceeds {@code over} at every
     * higher one. It is the speed-up's lower bound that must exceed it (its 95 % interval above), so that a win
     * inside the timing's own spread is not called one.
     */
    static double fastFormWinsFrom(List<EvaluationEvent> rows, Method method, int threads, double over) {
        List<EvaluationEvent> m = timedAt(byMethod(rows, method), threads);
        double from = Double.NaN;
        for (int i = m.size() - 1; i >= 0 && m.get(i).timing(threads).orElseThrow().speedupAtLeast() > over; i--) {
            from = m.get(i).percentage();
        }
        return from;
    }

    public static List<String> sentences(List<EvaluationEvent> all) {
        List<String> out = new ArrayList<>();
        List<Long> seeds = SeedMeans.seeds(all);
        List<SeedMeans> means = SeedMeans.of(all);
        List<EvaluationEvent> rows = SeedMeans.timed(all);
        List<Integer> threadCounts = ResultsTable.threadCounts(rows);
        for (Method method : Method.pruning()) {
            List<SeedMeans> oneShot = SeedMeans.of(means, method, Stage.ONE_SHOT);
            if (oneShot.isEmpty()) {
                continue;
            }
            SeedMeans base = oneShot.stream().filter(r -> r.percentage() == 0).findFirst().orElse(null);
            if (base == null) {
                out.add(String.format(Locale.ROOT, "%s: no 0 %% variant in this run to compare accuracies with.",
                        capital(method.label())));
            } else {
                for (Stage stage : Stage.GRID) {
                    accuracy(SeedMeans.of(means, method, stage), method, stage, base, seeds.size()).ifPresent(out::add);
                }
            }
            for (int threads : threadCounts) {
                speed(rows, method, threads).ifPresent(s -> out.add(seeds.size() > 1
                        ? s.substring(0, s.length() - 1) + String.format(Locale.ROOT, " (timings of seed %d).",
                        seeds.get(0)) : s));
            }
        }
        scratchVersusNeuron(means).ifPresent(out::add);
        for (Stage stage : Stage.GRID) {
            globalVersusLayerwise(means, stage, seeds.size()).ifPresent(out::add);
            randomVersusMagnitude(means, stage).ifPresent(out::add);
        }
        for (int threads : threadCounts) {
            timingNoise(rows, threads).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Up to where the method's variants of one stage stay within 1 point (and, with seeds or fine-tuning, within half
     * a point) of the unpruned accuracy, judged on the means over the seeds.
     */
    private static java.util.Optional<String> accuracy(List<SeedMeans> m, Method method, Stage stage, SeedMeans base,
                                                       int seeds) {
        if (m.isEmpty()) {
            return java.util.Optional.empty();
        }
        String what = capital(method.label()) + (stage == Stage.FINE_TUNED ? ", fine-tuned," : "");
        double one = keepsAccuracyUpTo(m, base.accuracy(), ONE_POINT);
        if (seeds <= 1 && stage == Stage.ONE_SHOT) {
            return java.util.Optional.of(String.format(Locale.ROOT, "%s stays within 1 point of the unpruned accuracy "
                    + "(%.4f) up to %s %%.", what, base.accuracy(), Percentage.label(one)));
        }
        double half = keepsAccuracyUpTo(m, base.accuracy(), HALF_POINT);
        SeedMeans last = m.get(m.size() - 1);
        return java.util.Optional.of(String.format(Locale.ROOT, "%s stays within 1 point of the unpruned accuracy "
                        + "(%s) up to %s %% and within half a point up to %s %%%s; at %s %% it reaches %s.", what,
                meanSd(base, seeds), Percentage.label(one), Percentage.label(half),
                seeds > 1 ? String.format(Locale.ROOT, " (means over %d seeds)", seeds) : "",
                Percentage.label(last.percentage()), meanSd(last, seeds)));
    }

    private static String meanSd(SeedMeans r, int seeds) {
        return seeds > 1 ? String.format(Locale.ROOT, "%.4f +- %.4f", r.accuracy(), r.accuracySd())
                : String.format(Locale.ROOT, "%.4f", r.accuracy());
    }

    /**
     * Global against layer-wise magnitude pruning of one stage: where their mean accuracies differ by more than the
     * seeds' spread (the two standard deviations added), and the largest difference. Empty without both.
     */
    static java.util.Optional<String> globalVersusLayerwise(List<SeedMeans> means, Stage stage, int seeds) {
        List<SeedMeans> global = SeedMeans.of(means, Method.GLOBAL, stage);
        List<SeedMeans> weight = SeedMeans.of(means, Method.WEIGHT, stage);
        List<String> apart = new ArrayList<>();
        double largest = 0;
        double largestAt = Double.NaN;
        for (SeedMeans g : global) {
            SeedMeans w = weight.stream().filter(r -> r.percentage() == g.percentage()).findFirst().orElse(null);
            if (w == null) {
                continue;
            }
            double d = g.accuracy() - w.accuracy();
            if (Math.abs(d) > Math.abs(largest) || Double.isNaN(largestAt)) {
                largest = d;
                largestAt = g.percentage();
            }
            if (Math.abs(d) > g.accuracySd() + w.accuracySd() && Math.abs(d) >= 0.001) {
                apart.add(String.format(Locale.ROOT, "%s %% (%+.1f points)", Percentage.label(g.percentage()), 100 * d));
            }
        }
        if (Double.isNaN(largestAt)) {
            return java.util.Optional.empty();
        }
        String stageName = stage == Stage.FINE_TUNED ? " after fine-tuning" : " (one-shot)";
        String spread = seeds > 1 ? "the seeds' spread (the two standard deviations added)"
                : "a tenth of a point (one seed: no spread to compare with)";
        return java.util.Optional.of(String.format(Locale.ROOT, "Global magnitude pruning against layer-wise weight "
                        + "pruning%s: %s; the largest difference of the mean accuracies is %+.1f points at %s %% "
                        + "(global minus layer-wise).", stageName, apart.isEmpty()
                        ? "their mean accuracies differ by no more than " + spread + " at any percentage"
                        : "they differ by more than " + spread + " at " + String.join(", ", apart),
                100 * largest, Percentage.label(largestAt)));
    }

    /** How far random pruning (the control) falls below magnitude (weight) pruning, by percentage. */
    static java.util.Optional<String> randomVersusMagnitude(List<SeedMeans> means, Stage stage) {
        List<SeedMeans> random = SeedMeans.of(means, Method.RANDOM, stage);
        List<SeedMeans> weight = SeedMeans.of(means, Method.WEIGHT, stage);
        List<String> gaps = new ArrayList<>();
        for (SeedMeans r : random) {
            weight.stream().filter(w -> w.percentage() == r.percentage() && r.percentage() > 0).findFirst()
                    .ifPresent(w -> gaps.add(String.format(Locale.ROOT, "%s %%: %.1f", Percentage.label(r.percentage()),
                            100 * (w.accuracy() - r.accuracy()))));
        }
        if (gaps.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "Random pruning%s falls below magnitude (weight) "
                        + "pruning by (points of mean accuracy) %s.", stage == Stage.FINE_TUNED ? ", fine-tuned,"
                        : " (one-shot)", String.join(", ", gaps)));
    }

    /** Where the method's fast form beats dense at {@code threads}, judged by the speed-up's interval. */
    private static java.util.Optional<String> speed(List<EvaluationEvent> rows, Method method, int threads) {
        List<EvaluationEvent> m = timedAt(byMethod(rows, method), threads);
        if (m.isEmpty()) {
            return java.util.Optional.empty();
        }
        double wins = fastFormWinsFrom(rows, method, threads, 1);
        String form = method.fastForm().description();
        String on = String.format(Locale.ROOT, "On %d thread%s, ", threads, threads == 1 ? "" : "s");
        // beyond the noise: above the largest ratio between two timings of one network (from-scratch rows)
        double noise = noiseRange(rows, threads).map(DoubleSummaryStatistics::getMax).orElse(Double.NaN);
        double clearly = Double.isNaN(noise) ? Double.NaN : fastFormWinsFrom(rows, method, threads, noise);
        PairedTiming last = m.get(m.size() - 1).timing(threads).orElseThrow();
        if (Double.isNaN(wins)) {
            return java.util.Optional.of(String.format(Locale.ROOT, "%s%s does not beat dense with its 95 %% interval "
                    + "above 1 at the largest percentage of this run (%.2fx, interval %.2f-%.2fx at %s %%).", on, form,
                    last.speedup(), last.speedupAtLeast(), last.speedupAtMost(),
                    Percentage.label(m.get(m.size() - 1).percentage())));
        }
        PairedTiming there = at(m, wins).timing(threads).orElseThrow();
        return java.util.Optional.of(String.format(Locale.ROOT,
                "%s%s beats dense from %s %% on (%.2fx there, 95 %% interval from %.2fx; %.2fx at %s %%)%s.",
                on, form, Percentage.label(wins), there.speedup(), there.speedupAtLeast(), last.speedup(),
                Percentage.label(m.get(m.size() - 1).percentage()), Double.isNaN(noise) || clearly == wins ? ""
                        : Double.isNaN(clearly) ? String.format(Locale.ROOT,
                        "; never by more than the timing noise (%.2fx)", noise)
                        : String.format(Locale.ROOT, "; by more than the timing noise (%.2fx) from %s %% on",
                        noise, Percentage.label(clearly))));
    }

    /**
     * Neuron pruning against networks of the same sizes trained from scratch: up to where each stays within one point
     * of the unpruned accuracy, and both at the largest percentage they share. Empty without both in the run.
     */
    static java.util.Optional<String> scratchVersusNeuron(List<SeedMeans> means) {
        List<SeedMeans> neuron = SeedMeans.of(means, Method.NEURON, Stage.ONE_SHOT);
        List<SeedMeans> scratch = SeedMeans.of(means, Method.SCRATCH, Stage.ONE_SHOT);
        SeedMeans base = neuron.stream().filter(e -> e.percentage() == 0).findFirst().orElse(null);
        if (base == null || scratch.isEmpty()) {
            return java.util.Optional.empty();
        }
        SeedMeans last = scratch.get(scratch.size() - 1);
        SeedMeans neuronThere = neuron.stream().filter(e -> e.percentage() == last.percentage()).findFirst()
                .orElse(null);
        double keep = keepsAccuracyUpTo(scratch, base.accuracy(), ONE_POINT);
        // training noise can put one percentage just below the line and later ones above it again: count them all
        List<SeedMeans> within = scratch.stream()
                .filter(e -> e.accuracy() >= base.accuracy() - ONE_POINT).toList();
        boolean beyond = !within.isEmpty() && within.get(within.size() - 1).percentage() > keep;
        return java.util.Optional.of(String.format(Locale.ROOT, "Networks of the neuron-pruned sizes trained from "
                        + "scratch stay within 1 point of the unpruned accuracy up to %s %% (neuron pruning without "
                        + "retraining: up to %s %%)%s; at %s %% from scratch reaches %.4f%s.",
                Percentage.label(keep), Percentage.label(keepsAccuracyUpTo(neuron, base.accuracy(), ONE_POINT)),
                !beyond ? "" : String.format(Locale.ROOT, ", and are within it at %d of their %d percentages (the "
                        + "largest: %s %%)", within.size(), scratch.size(),
                        Percentage.label(within.get(within.size() - 1).percentage())),
                Percentage.label(last.percentage()), last.accuracy(), neuronThere == null ? ""
                        : String.format(Locale.ROOT, ", neuron pruning %.4f", neuronThere.accuracy())));
    }

    /**
     * How far apart two timings of one network fall in this run at {@code threads}: a from-scratch row times the
     * same network as "dense" and as "compacted", so its speed-up would be 1.00x without noise. Empty without
     * from-scratch rows.
     */
    static java.util.Optional<String> timingNoise(List<EvaluationEvent> rows, int threads) {
        return noiseRange(rows, threads).map(r -> String.format(Locale.ROOT, "Timing noise on %d thread%s: each "
                + "from-scratch row times one network twice (its dense and compacted forms are the same network), and "
                + "those ratios range from %.2fx to %.2fx in this run; speed-ups inside that range are not evidence "
                + "of a difference.", threads, threads == 1 ? "" : "s", r.getMin(), r.getMax()));
    }

    /** The speed-ups at {@code threads} of the from-scratch rows (each one network timed twice), if any. */
    private static java.util.Optional<DoubleSummaryStatistics> noiseRange(List<EvaluationEvent> rows, int threads) {
        DoubleSummaryStatistics r = timedAt(byMethod(rows, Method.SCRATCH), threads).stream()
                .mapToDouble(e -> e.timing(threads).orElseThrow().speedup()).summaryStatistics();
        return r.getCount() == 0 ? java.util.Optional.empty() : java.util.Optional.of(r);
    }

    /** The rows that were timed at {@code threads}. */
    static List<EvaluationEvent> timedAt(List<EvaluationEvent> rows, int threads) {
        return rows.stream().filter(e -> e.timing(threads).isPresent()).toList();
    }

    private static EvaluationEvent at(List<EvaluationEvent> m, double p) {
        return m.stream().filter(e -> e.percentage() == p).findFirst().orElseThrow();
    }

    /** The method's one-shot rows by percentage (a fine-tuned variant is timed like its one-shot one). */
    private static List<EvaluationEvent> byMethod(List<EvaluationEvent> rows, Method method) {
        return rows.stream().filter(e -> e.method() == method && e.stage() == Stage.ONE_SHOT)
                .sorted(java.util.Comparator.comparingDouble(EvaluationEvent::percentage)).toList();
    }

    static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
