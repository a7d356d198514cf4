package org.prunelab.runner.report;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;

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

    /** The smallest percentage from which the fast form beats dense at every higher percentage, or NaN if none. */
    public static double fastFormWinsFrom(List<EvaluationEvent> rows, Method method) {
        return fastFormWinsFrom(rows, method, 1);
    }

    /**
     * The smallest percentage from which the fast form's speed-up exceeds {@code over} at every higher one. Where
     * the speed-up was timed in pairs it is its lower bound that must exceed it (every pair faster), so that a win
     * inside the timing's own spread is not called one.
     */
    static double fastFormWinsFrom(List<EvaluationEvent> rows, Method method, double over) {
        List<EvaluationEvent> m = byMethod(rows, method);
        double from = Double.NaN;
        for (int i = m.size() - 1; i >= 0 && m.get(i).speedupAtLeast() > over; i--) {
            from = m.get(i).percentage();
        }
        return from;
    }

    public static List<String> sentences(List<EvaluationEvent> rows) {
        List<String> out = new ArrayList<>();
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
            double wins = fastFormWinsFrom(rows, method);
            String form = method.fastForm().description();
            // beyond the noise: above the largest ratio between two timings of one network (from-scratch rows)
            double noise = noiseRange(rows).map(DoubleSummaryStatistics::getMax).orElse(Double.NaN);
            double clearly = Double.isNaN(noise) ? Double.NaN : fastFormWinsFrom(rows, method, noise);
            out.add(Double.isNaN(wins)
                    ? String.format(Locale.ROOT, "%s never beats dense at the largest percentage of this run.", capital(form))
                    : String.format(Locale.ROOT, "%s beats dense from %s %% on (%.2fx there%s, %.2fx at %s %%)%s.",
                    capital(form), Percentage.label(wins), at(m, wins).speedup(), at(m, wins).speedupLow() > 0
                            ? String.format(Locale.ROOT, ", every timed pair at least %.2fx", at(m, wins).speedupLow())
                            : "", m.get(m.size() - 1).speedup(),
                    Percentage.label(m.get(m.size() - 1).percentage()), Double.isNaN(noise) || clearly == wins ? ""
                            : Double.isNaN(clearly) ? String.format(Locale.ROOT,
                            "; never by more than the timing noise (%.2fx)", noise)
                            : String.format(Locale.ROOT, "; by more than the timing noise (%.2fx) from %s %% on",
                            noise, Percentage.label(clearly))));
        }
        scratchVersusNeuron(rows).ifPresent(out::add);
        timingNoise(rows).ifPresent(out::add);
        return out;
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
     * How far apart two timings of one network fall in this run: a from-scratch row times the same network as
     * "dense" and as "compacted", so its speed-up would be 1.00x without noise. Empty without from-scratch rows.
     */
    static java.util.Optional<String> timingNoise(List<EvaluationEvent> rows) {
        return noiseRange(rows).map(r -> String.format(Locale.ROOT, "Timing noise: each from-scratch row times one "
                + "network twice (its dense and compacted forms are the same network), and those ratios range from "
                + "%.2fx to %.2fx in this run; speed-ups inside that range are not evidence of a difference.",
                r.getMin(), r.getMax()));
    }

    /** The speed-ups of the from-scratch rows (each one network timed twice), or empty without such rows. */
    private static java.util.Optional<DoubleSummaryStatistics> noiseRange(List<EvaluationEvent> rows) {
        DoubleSummaryStatistics r = byMethod(rows, Method.SCRATCH).stream()
                .mapToDouble(EvaluationEvent::speedup).summaryStatistics();
        return r.getCount() == 0 ? java.util.Optional.empty() : java.util.Optional.of(r);
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
