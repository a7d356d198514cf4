package org.prunelab.core.baseline;

import java.util.List;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.LayerRule;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Method;

/**
 * The study's control for neuron pruning: networks with the hidden sizes that neuron pruning leaves at a percentage,
 * trained from a fresh start with the same data, settings and seed. Their variants carry the method
 * {@link Method#SCRATCH}, so that neuron-pruned and from-scratch accuracy stand side by side at every percentage.
 */
public final class ScratchBaseline {
    private ScratchBaseline() {
    }

    /**
     * The hidden sizes left by neuron pruning at {@code percentage}: m - int(p * m / 100) for each layer of m neurons,
     * but never fewer than one neuron.
     */
    public static List<Integer> hiddenSizes(List<Integer> hidden, double percentage) {
        Percentage.check(percentage);
        return hidden.stream().map(m -> Math.max(1, m - LayerRule.count(percentage, m))).toList();
    }

    /** The from-scratch network's training at {@code percentage}: the model's, with the neuron-pruned hidden sizes. */
    public static TrainingConfig config(TrainingConfig model, double percentage) {
        return model.withHiddenSizes(hiddenSizes(model.hiddenSizes(), percentage));
    }

    /**
     * The lottery experiment's control: the hidden sizes, scaled by one factor, of a dense network with as many
     * weights as weight pruning at {@code percentage} leaves (every hidden layer pruned, the output layer whole).
     */
    public static List<Integer> sameWeightSizes(List<Integer> hidden, int inputs, int classes, double percentage) {
        Percentage.check(percentage);
        List<Integer> sizes = new java.util.ArrayList<>();
        sizes.add(inputs);
        sizes.addAll(hidden);
        sizes.add(classes);
        long target = 0;
        for (int k = 0; k + 1 < sizes.size(); k++) {
            long n = (long) sizes.get(k) * sizes.get(k + 1);
            target += k + 2 < sizes.size() ? n - LayerRule.count(percentage, (int) n) : n;
        }
        // the weight count grows with the factor: bisect for the factor whose rounded sizes come closest
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (weights(scaled(hidden, mid), inputs, classes) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        List<Integer> below = scaled(hidden, lo);
        List<Integer> above = scaled(hidden, hi);
        return Math.abs(weights(below, inputs, classes) - target) <= Math.abs(weights(above, inputs, classes) - target)
                ? below : above;
    }

    /** The lottery control's training: the model's, with {@link #sameWeightSizes}. */
    public static TrainingConfig sameWeightConfig(TrainingConfig model, int inputs, int classes, double percentage) {
        return model.withHiddenSizes(sameWeightSizes(model.hiddenSizes(), inputs, classes, percentage));
    }

    private static List<Integer> scaled(List<Integer> hidden, double factor) {
        return hidden.stream().map(m -> Math.max(1, (int) Math.round(m * factor))).toList();
    }

    private static long weights(List<Integer> hidden, int inputs, int classes) {
        long n = 0;
        int prev = inputs;
        for (int h : hidden) {
            n += (long) prev * h;
            prev = h;
        }
        return n + (long) prev * classes;
    }

    /** The percentages that get a from-scratch network: all but 0 %, whose network is the trained model itself. */
    public static List<Double> percentages(List<Double> percentages) {
        return percentages.stream().filter(p -> p > 0).toList();
    }
}
