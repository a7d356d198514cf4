package org.prunelab.core.model;

import java.util.List;

/**
 * Everything that determines a training run. Defaults are the study's: 784-1000-1000-500-200-10,
 * Adam at 1e-3, batch 64, 10 epochs. The seed drives weight initialisation and the per-epoch shuffle.
 *
 * @param trainLimit use only the first N training images (0 = all), for quick runs
 * @param testEvery  also measure test accuracy every this many iterations within the epochs (0: after each epoch
 *                   only), so that a training's best accuracy and when it came are known (the lottery experiment)
 */
public record TrainingConfig(String dataset, List<Integer> hiddenSizes, int epochs, int batchSize,
                             double learningRate, long seed, int trainLimit, Integer testEvery) {
    public static final List<Integer> DEFAULT_HIDDEN = List.of(1000, 1000, 500, 200);
    /** Ceilings that keep a request from asking for more than this machine class can hold or finish. */
    public static final int MAX_EPOCHS = 1000;
    public static final int MAX_LAYER_SIZE = 20_000;
    public static final long MAX_PARAMETERS = 200_000_000L;

    /** bin/run --quick and the benchmark's own model: one epoch on the first 12,000 training images. */
    public static final int QUICK_EPOCHS = 1;
    public static final int QUICK_TRAIN_LIMIT = 12_000;

    public static TrainingConfig defaults(String dataset) {
        return new TrainingConfig(dataset, DEFAULT_HIDDEN, 10, 64, 1e-3, 42L, 0);
    }

    /** The study's defaults cut to a quick run ({@link #QUICK_EPOCHS}, {@link #QUICK_TRAIN_LIMIT}). */
    public static TrainingConfig quick(String dataset) {
        TrainingConfig d = defaults(dataset);
        return new TrainingConfig(dataset, d.hiddenSizes(), QUICK_EPOCHS, d.batchSize(), d.learningRate(), d.seed(),
                QUICK_TRAIN_LIMIT);
    }

    public TrainingConfig {
        hiddenSizes = List.copyOf(hiddenSizes);
        testEvery = testEvery == null ? 0 : testEvery; // records from before the field: after each epoch only
    }

    /** Test figures after each epoch only. */
    public TrainingConfig(String dataset, List<Integer> hiddenSizes, int epochs, int batchSize, double learningRate,
                          long seed, int trainLimit) {
        this(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit, 0);
    }

    /** This training with other hidden sizes (a from-scratch network's). */
    public TrainingConfig withHiddenSizes(List<Integer> hidden) {
        return new TrainingConfig(dataset, hidden, epochs, batchSize, learningRate, seed, trainLimit, testEvery);
    }

    /** This training with other epochs and rate (a fine-tuning's). */
    public TrainingConfig withEpochs(int epochs, double learningRate) {
        return new TrainingConfig(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit, testEvery);
    }

    /** The network's layer widths on data of {@code inputs} features and {@code classes} classes. */
    public List<Integer> layerSizes(int inputs, int classes) {
        List<Integer> sizes = new java.util.ArrayList<>();
        sizes.add(inputs);
        sizes.addAll(hiddenSizes);
        sizes.add(classes);
        return sizes;
    }

    /** Refuses sizes and counts that are absurd, with a reason a user can act on. */
    public TrainingConfig validate(int inputs, int classes) {
        if (epochs <= 0 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("epochs must be in [1, " + MAX_EPOCHS + "], got " + epochs);
        }
        if (batchSize <= 0 || batchSize > 60_000) {
            throw new IllegalArgumentException("batchSize must be in [1, 60000], got " + batchSize);
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new IllegalArgumentException("learningRate must be in (0, 10), got " + learningRate);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("trainLimit must be >= 0, got " + trainLimit);
        }
        if (testEvery < 0) {
            throw new IllegalArgumentException("testEvery must be >= 0 iterations, got " + testEvery);
        }
        if (hiddenSizes.isEmpty()) {
            throw new IllegalArgumentException("hiddenSizes needs at least one hidden layer");
        }
        long params = 0;
        int prev = inputs;
        for (int h : hiddenSizes) {
            if (h <= 0 || h > MAX_LAYER_SIZE) {
                throw new IllegalArgumentException("hidden sizes must be in [1, " + MAX_LAYER_SIZE + "], got " + h);
            }
            params += (long) prev * h;
            prev = h;
        }
        params += (long) prev * classes;
        if (params > MAX_PARAMETERS) {
            throw new IllegalArgumentException("network would have " + params + " weights, more than the limit of "
                    + MAX_PARAMETERS);
        }
        return this;
    }
}
