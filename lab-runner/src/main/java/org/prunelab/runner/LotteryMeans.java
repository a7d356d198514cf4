package org.prunelab.runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * A lottery run's results over its seeds: per network kind ({@link Kind}) and round, the mean and sample standard
 * deviation of the test accuracy, of the best test accuracy its training reached and of the iteration it came at,
 * and the share of the model's weights the network has.
 *
 * @param remaining the share of the model's weights the network holds (mean over the seeds)
 */
public record LotteryMeans(Kind kind, double percentage, int seeds, double remaining, double accuracy,
                           double accuracySd, double bestAccuracy, double bestAccuracySd, double bestIteration,
                           double bestIterationSd) {

    /** The networks a lottery run compares, each a method and stage of its variants. */
    public enum Kind {
        /** The weight-0 % variant: the trained model itself. */
        DENSE("dense network", Method.WEIGHT, Stage.ONE_SHOT),
        TICKET("rewound ticket", Method.WEIGHT, Stage.REWOUND),
        REINITIALIZED("same mask, reinitialised", Method.WEIGHT, Stage.REINITIALIZED),
        RANDOM_MASK("random mask, rewound", Method.RANDOM, Stage.REWOUND),
        ONE_SHOT("one-shot pruned", Method.WEIGHT, Stage.ONE_SHOT),
        FINE_TUNED("one-shot pruned, fine-tuned", Method.WEIGHT, Stage.FINE_TUNED),
        SCRATCH("dense with as many weights, from scratch", Method.SCRATCH, Stage.ONE_SHOT);

        private final String label;
        private final Method method;
        private final Stage stage;

        Kind(String label, Method method, Stage stage) {
            this.label = label;
            this.method = method;
            this.stage = stage;
        }

        public String label() {
            return label;
        }

        boolean holds(EvaluationEvent e) {
            return e.method() == method && e.stage() == stage && (this == DENSE) == (e.percentage() == 0);
        }
    }

    /** Whether a run's evaluations hold a lottery experiment (rewound networks). */
    public static boolean in(List<EvaluationEvent> rows) {
        return rows.stream().anyMatch(e -> e.stage() == Stage.REWOUND);
    }

    /** Every kind's rows, by kind and then percentage. */
    public static List<LotteryMeans> of(List<EvaluationEvent> rows) {
        List<LotteryMeans> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            rows.stream().filter(kind::holds).map(EvaluationEvent::percentage).distinct().sorted().forEach(p -> {
                List<EvaluationEvent> g = rows.stream().filter(e -> kind.holds(e) && e.percentage() == p).toList();
                List<EvaluationEvent> trained = g.stream().filter(e -> e.bestIteration() != null).toList();
                out.add(new LotteryMeans(kind, p, g.size(), SeedMeans.mean(g, EvaluationEvent::remainingShare),
                        SeedMeans.mean(g, EvaluationEvent::testAccuracy),
                        SeedMeans.sd(g, EvaluationEvent::testAccuracy),
                        SeedMeans.mean(trained, EvaluationEvent::bestAccuracy),
                        SeedMeans.sd(trained, EvaluationEvent::bestAccuracy),
                        SeedMeans.mean(trained, e -> e.bestIteration()),
                        SeedMeans.sd(trained, e -> e.bestIteration())));
            });
        }
        return out;
    }

    /** One kind's rows, by percentage. */
    public static List<LotteryMeans> of(List<LotteryMeans> rows, Kind kind) {
        return rows.stream().filter(r -> r.kind() == kind).sorted(Comparator.comparingDouble(LotteryMeans::percentage))
                .toList();
    }

    /** A kind's row at a percentage. */
    public static Optional<LotteryMeans> at(List<LotteryMeans> rows, Kind kind, double percentage) {
        return rows.stream().filter(r -> r.kind() == kind && r.percentage() == percentage).findFirst();
    }

    /**
     * The seeds' spread of a difference between two rows' means: the root of the sum of their sample variances (0
     * with one seed, where any difference counts).
     */
    public static double spread(LotteryMeans a, LotteryMeans b) {
        return Math.sqrt(a.accuracySd * a.accuracySd + b.accuracySd * b.accuracySd);
    }

    /** "0.9812 +- 0.0011" (or the mean alone with one seed). */
    public String accuracyText() {
        return seeds > 1 ? String.format(Locale.ROOT, "%.4f +- %.4f", accuracy, accuracySd)
                : String.format(Locale.ROOT, "%.4f", accuracy);
    }

    /** "2,350 +- 410" iterations, or "-" for a network without a recorded training. */
    public String bestIterationText() {
        if (Double.isNaN(bestIteration)) {
            return "-";
        }
        return seeds > 1 ? String.format(Locale.ROOT, "%,.0f +- %,.0f", bestIteration, bestIterationSd)
                : String.format(Locale.ROOT, "%,.0f", bestIteration);
    }
}
