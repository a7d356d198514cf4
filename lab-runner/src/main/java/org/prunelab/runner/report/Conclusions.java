package org.prunelab.runner.report;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.runner.ResultsTable;

/** Sentences drawn from a run's own numbers, for the report. */
public final class Conclusions {
    /** "Within one point" of the unpruned accuracy. */
    static final double ONE_POINT = 0.01;

    private Conclusions() {
    }

    /**
     * The largest percentage up to which every variant of the method stays within one point of its 0 % accuracy,
     * or NaN when the method has no 0 % variant to compare with.
     */
    public static double keepsAccuracyUpTo(List<EvaluationEvent> rows, Method method) {
        EvaluationEvent base = byMethod(rows, method).stream().filter(e -> e.percentage() == 0).findFirst().orElse(null);
        return base == null ? Double.NaN : keepsAccuracyUpTo(rows, method, base.testAccuracy());
    }

    /** The largest percentage up to which every variant of the method stays within one point of {@code base}. */
    static double keepsAccuracyUpTo(List<EvaluationEvent> rows, Method method, double base) {
        double upTo = 0;
        for (EvaluationEvent e : byMethod(rows, method)) {
            if (e.testAccuracy() < base - ONE_POINT) {
                break;
            }
            upTo = e.percentage();
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
     * higher one. It is the speed-up's lower bound that must exceed it (every timed pair faster), so that a win
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

    public static List<String> sentences(List<EvaluationEvent> rows) {
        List<String> out = new ArrayList<>();
        List<Integer> threadCounts = ResultsTable.threadCounts(rows);
        for (Method method : Method.pruning()) {
            List<EvaluationEvent> m = byMethod(rows, method);
            if (m.isEmpty()) {
                continue;
            }
            double keep = keepsAccuracyUpTo(rows, method);
            EvaluationEvent base = m.get(0);
            out.add(Double.isNaN(keep)
                    ? String.format(Locale.ROOT, "%s: no 0 %% variant in this run to compare accuracies with.", capital(method.label()))
                    : String.format(Locale.ROOT, "%s stays within 1 point of the unpruned accuracy (%.4f) up to %s %%.",
                    capital(method.label()), base.testAccuracy(), Percentage.label(keep)));
            for (int threads : threadCounts) {
                speed(rows, method, threads).ifPresent(out::add);
            }
        }
        scratchVersusNeuron(rows).ifPresent(out::add);
        for (int threads : threadCounts) {
            timingNoise(rows, threads).ifPresent(out::add);
        }
        return out;
    }

    /** Where the method's fast form beats dense at {@code threads}, judged by every timed pair. */
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
            return java.util.Optional.of(String.format(Locale.ROOT, "%s%s does not beat dense in every timed pair at "
                    + "the largest percentage of this run (%.2fx, pairs %.2f-%.2fx at %s %%).", on, form,
                    last.speedup(), last.speedupAtLeast(), last.speedupAtMost(),
                    Percentage.label(m.get(m.size() - 1).percentage())));
        }
        PairedTiming there = at(m, wins).timing(threads).orElseThrow();
        return java.util.Optional.of(String.format(Locale.ROOT,
                "%s%s beats dense from %s %% on (%.2fx there, every timed pair at least %.2fx; %.2fx at %s %%)%s.",
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
    static java.util.Optional<String> scratchVersusNeuron(List<EvaluationEvent> rows) {
        List<EvaluationEvent> neuron = byMethod(rows, Method.NEURON);
        List<EvaluationEvent> scratch = byMethod(rows, Method.SCRATCH);
        EvaluationEvent base = neuron.stream().filter(e -> e.percentage() == 0).findFirst().orElse(null);
        if (base == null || scratch.isEmpty()) {
            return java.util.Optional.empty();
        }
        EvaluationEvent last = scratch.get(scratch.size() - 1);
        EvaluationEvent neuronThere = neuron.stream().filter(e -> e.percentage() == last.percentage()).findFirst()
                .orElse(null);
        double keep = keepsAccuracyUpTo(rows, Method.SCRATCH, base.testAccuracy());
        // training noise can put one percentage just below the line and later ones above it again: count them all
        List<EvaluationEvent> within = scratch.stream()
                .filter(e -> e.testAccuracy() >= base.testAccuracy() - ONE_POINT).toList();
        boolean beyond = !within.isEmpty() && within.get(within.size() - 1).percentage() > keep;
        return java.util.Optional.of(String.format(Locale.ROOT, "Networks of the neuron-pruned sizes trained from "
                        + "scratch stay within 1 point of the unpruned accuracy up to %s %% (neuron pruning without "
                        + "retraining: up to %s %%)%s; at %s %% from scratch reaches %.4f%s.",
                Percentage.label(keep), Percentage.label(keepsAccuracyUpTo(rows, Method.NEURON)), !beyond ? ""
                        : String.format(Locale.ROOT, ", and are within it at %d of their %d percentages (the largest: "
                        + "%s %%)", within.size(), scratch.size(),
                        Percentage.label(within.get(within.size() - 1).percentage())),
                Percentage.label(last.percentage()), last.testAccuracy(), neuronThere == null ? ""
                        : String.format(Locale.ROOT, ", neuron pruning %.4f", neuronThere.testAccuracy())));
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

    private static List<EvaluationEvent> byMethod(List<EvaluationEvent> rows, Method method) {
        return rows.stream().filter(e -> e.method() == method)
                .sorted(java.util.Comparator.comparingDouble(EvaluationEvent::percentage)).toList();
    }

    static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
