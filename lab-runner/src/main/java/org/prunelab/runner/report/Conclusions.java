package org.prunelab.runner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.events.EvaluationEvent;
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
    public static double keepsAccuracyUpTo(List<EvaluationEvent> rows, String method) {
        List<EvaluationEvent> m = byMethod(rows, method);
        EvaluationEvent base = m.stream().filter(e -> e.percentage() == 0).findFirst().orElse(null);
        if (base == null) {
            return Double.NaN;
        }
        double upTo = 0;
        for (EvaluationEvent e : m) {
            if (e.testAccuracy() < base.testAccuracy() - ONE_POINT) {
                break;
            }
            upTo = e.percentage();
        }
        return upTo;
    }

    /** The smallest percentage from which the fast form beats dense at every higher percentage, or NaN if none. */
    public static double fastFormWinsFrom(List<EvaluationEvent> rows, String method) {
        List<EvaluationEvent> m = byMethod(rows, method);
        double from = Double.NaN;
        for (int i = m.size() - 1; i >= 0 && m.get(i).speedup() > 1; i--) {
            from = m.get(i).percentage();
        }
        return from;
    }

    public static List<String> sentences(List<EvaluationEvent> rows) {
        List<String> out = new ArrayList<>();
        for (String method : List.of("weight", "neuron")) {
            List<EvaluationEvent> m = byMethod(rows, method);
            if (m.isEmpty()) {
                continue;
            }
            double keep = keepsAccuracyUpTo(rows, method);
            EvaluationEvent base = m.get(0);
            out.add(Double.isNaN(keep)
                    ? String.format(Locale.ROOT, "%s pruning: no 0 %% variant in this run to compare accuracies with.", method)
                    : String.format(Locale.ROOT, "%s pruning stays within 1 point of the unpruned accuracy (%.4f) up to %s %%.",
                    capital(method), base.testAccuracy(), Percentage.label(keep)));
            double wins = fastFormWinsFrom(rows, method);
            String form = method.equals("weight") ? "the CSR sparse form" : "the compacted network";
            out.add(Double.isNaN(wins)
                    ? String.format(Locale.ROOT, "%s never beats dense at the largest percentage of this run.", capital(form))
                    : String.format(Locale.ROOT, "%s beats dense from %s %% on (%.2fx there, %.2fx at %s %%).",
                    capital(form), Percentage.label(wins), at(m, wins).speedup(), m.get(m.size() - 1).speedup(),
                    Percentage.label(m.get(m.size() - 1).percentage())));
        }
        return out;
    }

    private static EvaluationEvent at(List<EvaluationEvent> m, double p) {
        return m.stream().filter(e -> e.percentage() == p).findFirst().orElseThrow();
    }

    private static List<EvaluationEvent> byMethod(List<EvaluationEvent> rows, String method) {
        return rows.stream().filter(e -> e.method().equals(method))
                .sorted(java.util.Comparator.comparingDouble(EvaluationEvent::percentage)).toList();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
