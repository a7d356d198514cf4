package org.prunelab.evaluator.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.inference.Timing;
import org.prunelab.support.metrics.RunGauges;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.evaluator.config.EvaluatorConfig;

/**
 * Every figure of an evaluation as a gauge tagged run, dataset, method, percentage, stage and seed, so that dashboards
 * can chart each against the pruning percentage (averaged over the seeds). Names follow Prometheus conventions: base
 * units, ratios in 0-1.
 */
@ApplicationScoped
public class EvaluationMetrics {
    private final MeterRegistry registry;
    private final RunGauges gauges;

    public EvaluationMetrics(MeterRegistry registry, EvaluatorConfig config) {
        this.registry = registry;
        this.gauges = new RunGauges(registry, config.metricsMaxRuns());
    }

    /** A fresh evaluation: its figures, and one more in the evaluations count. */
    public void record(EvaluationEvent e) {
        show(e);
        Counter.builder("evaluator_evaluations").description("Variants evaluated")
                .tags("dataset", e.dataset(), "method", e.method().id()).register(registry).increment();
    }

    /** An evaluation's figures as gauges; also for results recorded before this process started. */
    public void show(EvaluationEvent e) {
        String[] tags = {"dataset", e.dataset(), "method", e.method().id(), "percentage", Percentage.label(e.percentage()),
                "stage", e.stage().id(), "seed", Long.toString(e.seed())};
        String run = e.runId();
        gauges.set(run, "pruning_test_accuracy_ratio", "Test accuracy of the pruned variant", e.testAccuracy(), tags);
        gauges.set(run, "pruning_test_loss", "Test cross-entropy of the pruned variant", e.testLoss(), tags);
        gauges.set(run, "pruning_sparsity_ratio", "Fraction of zero weights reached", e.sparsity().overall(), tags);
        gauges.set(run, "pruning_nonzero_parameters", "Nonzero weights of the pruned variant",
                e.sparsity().nonZeros(), tags);
        // per layer: what global pruning chose, and that the other methods spare the output layer
        for (int k = 0; k < e.sparsity().perLayer().size(); k++) {
            gauges.set(run, "pruning_layer_sparsity_ratio", "Fraction of the layer's weights that are zero",
                    e.sparsity().perLayer().get(k), with(tags, "layer", Integer.toString(k)));
        }
        gauges.set(run, "pruning_fast_parameters", "Weights the fast form holds", e.fastParameters(), tags);
        gauges.set(run, "pruning_removed_ratio", "Share of the model's weights the fast form does not hold",
                e.removedShare(), tags);
        // the accuracy again, placed by that share as a label: a panel can draw every method against the same x
        // (what a weight, a neuron and a from-scratch variant really remove), which no percentage gives
        String[] byRemoved = with(tags, "removed", String.format(java.util.Locale.ROOT, "%.4f", e.removedShare()));
        gauges.set(run, "pruning_accuracy_by_removed_ratio", "Test accuracy, labelled with the share of the model's "
                + "weights removed", e.testAccuracy(), byRemoved);
        // the lottery experiment's "learns faster": when each trained network reached its best test accuracy
        if (e.bestIteration() != null) {
            gauges.set(run, "pruning_best_test_accuracy_ratio", "Best test accuracy the network's training reached",
                    e.bestAccuracy(), tags);
            gauges.set(run, "pruning_best_iteration", "First training iteration that reached the best test accuracy",
                    e.bestIteration(), tags);
            gauges.set(run, "pruning_best_iteration_by_removed", "The best test accuracy's iteration, labelled with "
                    + "the share of the model's weights removed", e.bestIteration(), byRemoved);
        }
        // timings per thread count: the same figures, tagged with the threads both forms used
        for (PairedTiming p : e.timings()) {
            String[] at = with(tags, "threads", Integer.toString(p.threads()));
            gauges.set(run, "pruning_speedup_ratio", "Median over timed pairs of dense time / fast form time",
                    p.speedup(), at);
            gauges.set(run, "pruning_speedup_low_ratio", "Lower end of the speed-up's 95 % interval (pair ratios "
                    + "dense / fast)", p.speedupAtLeast(), at);
            gauges.set(run, "pruning_speedup_high_ratio", "Upper end of the speed-up's 95 % interval (pair ratios "
                    + "dense / fast)", p.speedupAtMost(), at);
            timing(run, at, p.dense());
            timing(run, at, p.fast());
        }
    }

    /** A variant that arrived again and was answered from the recorded result. */
    public void duplicate() {
        Counter.builder("evaluator_duplicates_skipped").description("Repeated variants answered with the recorded result")
                .register(registry).increment();
    }

    public void failed() {
        Counter.builder("evaluator_evaluations_failed").description("Variants whose evaluation failed")
                .register(registry).increment();
    }

    private void timing(String run, String[] tags, Timing t) {
        String[] wall = with(tags, "form", t.form());
        String d = "Inference time of the whole test set";
        gauges.set(run, "pruning_inference_seconds", d, t.wallMedianMs() / 1000, with(wall, "stat", "median"));
        gauges.set(run, "pruning_inference_seconds", d, t.wallMinMs() / 1000, with(wall, "stat", "min"));
        gauges.set(run, "pruning_inference_seconds", d, t.wallMaxMs() / 1000, with(wall, "stat", "max"));
        gauges.set(run, "pruning_inference_cpu_seconds", "CPU time of the evaluating thread for the test set",
                t.cpuMedianMs() / 1000, with(wall, "stat", "median"));
    }

    private static String[] with(String[] tags, String key, String value) {
        String[] out = java.util.Arrays.copyOf(tags, tags.length + 2);
        out[tags.length] = key;
        out[tags.length + 1] = value;
        return out;
    }
}
