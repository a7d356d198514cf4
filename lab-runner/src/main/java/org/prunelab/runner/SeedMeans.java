package org.prunelab.runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * A run's results over its seeds: one row per method, stage and percentage with the mean and the sample standard
 * deviation over the seeds that were evaluated there (0 with one seed). What the table, charts and conclusions of a
 * run with several seeds stand on: one seed is an anecdote.
 *
 * @param seeds   how many seeds the row has
 * @param removed the share of all the model's weights the variant's fast form no longer holds (mean; see
 *                {@link EvaluationEvent#removedShare()})
 */
public record SeedMeans(Method method, Stage stage, double percentage, int seeds, double accuracy, double accuracySd,
                        double loss, double lossSd, double sparsity, double removed, List<Double> perLayerSparsity) {

    /** The rows of a run, ordered by method, stage and percentage. */
    public static List<SeedMeans> of(List<EvaluationEvent> rows) {
        Map<String, List<EvaluationEvent>> groups = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(EvaluationEvent::method).thenComparing(EvaluationEvent::stage)
                        .thenComparingDouble(EvaluationEvent::percentage))
                .forEach(e -> groups.computeIfAbsent(e.method() + "/" + e.stage() + "/" + e.percentage(),
                        k -> new ArrayList<>()).add(e));
        List<SeedMeans> out = new ArrayList<>();
        for (List<EvaluationEvent> g : groups.values()) {
            EvaluationEvent first = g.get(0);
            int layers = first.sparsity().perLayer().size();
            List<Double> perLayer = new ArrayList<>();
            for (int k = 0; k < layers; k++) {
                int layer = k;
                perLayer.add(mean(g, e -> e.sparsity().perLayer().size() > layer ? e.sparsity().perLayer().get(layer) : 0));
            }
            out.add(new SeedMeans(first.method(), first.stage(), first.percentage(), g.size(),
                    mean(g, EvaluationEvent::testAccuracy), sd(g, EvaluationEvent::testAccuracy),
                    mean(g, EvaluationEvent::testLoss), sd(g, EvaluationEvent::testLoss),
                    mean(g, e -> e.sparsity().overall()), mean(g, EvaluationEvent::removedShare), perLayer));
        }
        return out;
    }

    /** The rows of one method and stage, by percentage. */
    public static List<SeedMeans> of(List<SeedMeans> rows, Method method, Stage stage) {
        return rows.stream().filter(r -> r.method() == method && r.stage() == stage).toList();
    }

    /**
     * The rows a run's timing figures are drawn from: the first seed's one-shot variants (a fine-tuned variant, or
     * another seed's, runs the same shapes).
     */
    public static List<EvaluationEvent> timed(List<EvaluationEvent> rows) {
        List<Long> seeds = seeds(rows);
        return rows.stream().filter(e -> e.stage() == Stage.ONE_SHOT && (seeds.isEmpty() || e.seed() == seeds.get(0)))
                .toList();
    }

    /** The distinct seeds of a run's evaluations, in order. */
    public static List<Long> seeds(List<EvaluationEvent> rows) {
        return rows.stream().map(EvaluationEvent::seed).distinct().sorted().toList();
    }

    /** The mean over a group of evaluations (NaN for none). */
    static double mean(List<EvaluationEvent> g, ToDoubleFunction<EvaluationEvent> f) {
        return g.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n - 1); 0 for one value. */
    static double sd(List<EvaluationEvent> g, ToDoubleFunction<EvaluationEvent> f) {
        if (g.size() < 2) {
            return 0;
        }
        double m = mean(g, f);
        double ss = g.stream().mapToDouble(f).map(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (g.size() - 1));
    }
}
