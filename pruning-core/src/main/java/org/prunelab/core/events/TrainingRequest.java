package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Method;

/**
 * What a user posts to {@code training-requests} to start a run. Every field is optional; {@link #complete()}
 * fills the study's defaults and refuses anything invalid with a reason. See docs/events.md.
 *
 * @param baseline also train networks of the neuron-pruned sizes from scratch ({@link ScratchBaseline}); default false
 * @param seeds    run the whole study once per seed (mean and spread over them in the results); default [seed]
 * @param fineTuneEpochs       retrain every pruned variant with its mask fixed for this many epochs (0: none)
 * @param fineTuneLearningRate the fine-tuning's Adam rate ({@link FineTuning#DEFAULT_LEARNING_RATE})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRequest(String runId, String dataset, Integer epochs, Integer batchSize, List<Integer> hiddenSizes,
                              Long seed, Double learningRate, Integer trainLimit, List<Method> methods,
                              List<Double> percentages, Boolean baseline, List<Long> seeds,
                              Integer fineTuneEpochs, Double fineTuneLearningRate) {
    /** The most seeds one request may run the study for. */
    public static final int MAX_SEEDS = 20;

    /** The request with defaults filled in and every field checked. */
    public TrainingRequest complete() {
        TrainingConfig d = TrainingConfig.defaults(dataset == null ? "mnist" : dataset);
        TrainingConfig config = new TrainingConfig(Datasets.checkName(d.dataset()),
                hiddenSizes == null ? d.hiddenSizes() : hiddenSizes,
                epochs == null ? d.epochs() : epochs,
                batchSize == null ? d.batchSize() : batchSize,
                learningRate == null ? d.learningRate() : learningRate,
                seed == null ? d.seed() : seed,
                trainLimit == null ? 0 : trainLimit);
        config.validate(784, 10);
        List<Long> allSeeds = checkSeeds(seeds, seed, config.seed());
        FineTuning tuning = new FineTuning(fineTuneEpochs == null ? 0 : fineTuneEpochs,
                fineTuneLearningRate == null ? FineTuning.DEFAULT_LEARNING_RATE : fineTuneLearningRate).validate();
        return new TrainingRequest(RunIds.checkOrCreate(runId), config.dataset(), config.epochs(), config.batchSize(),
                config.hiddenSizes(), allSeeds.get(0), config.learningRate(), config.trainLimit(),
                checkMethods(methods), checkPercentages(percentages), baseline != null && baseline, allSeeds,
                tuning.epochs(), tuning.learningRate());
    }

    /** The training of the first seed's model. */
    public TrainingConfig config() {
        return new TrainingConfig(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit);
    }

    /** The training of the model of {@code seed}, one of the request's seeds. */
    public TrainingConfig config(long seed) {
        return new TrainingConfig(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit);
    }

    /** The fine-tuning asked for ({@link FineTuning#NONE} when none); for a completed request. */
    public FineTuning fineTuning() {
        return fineTuneEpochs == null || fineTuneEpochs == 0 ? FineTuning.NONE
                : new FineTuning(fineTuneEpochs, fineTuneLearningRate);
    }

    static List<Long> checkSeeds(List<Long> seeds, Long seed, long fallback) {
        if (seeds == null) {
            return List.of(seed == null ? fallback : seed);
        }
        if (seeds.isEmpty() || seeds.size() > MAX_SEEDS || seeds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("seeds must list 1 to " + MAX_SEEDS + " whole numbers");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must not repeat a seed: " + seeds);
        }
        if (seed != null && !seed.equals(seeds.get(0))) {
            throw new IllegalArgumentException("give seed or seeds, not both (seed " + seed + ", seeds " + seeds + ")");
        }
        return List.copyOf(seeds);
    }

    static List<Method> checkMethods(List<Method> methods) {
        if (methods == null) {
            return Method.DEFAULTS;
        }
        if (methods.isEmpty() || methods.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("methods must name one or more of "
                    + Method.pruning().stream().map(Method::id).toList());
        }
        return methods.stream().map(Method::checkPrunes).distinct().toList();
    }

    static List<Double> checkPercentages(List<Double> percentages) {
        if (percentages == null) {
            return Percentage.DEFAULTS;
        }
        if (percentages.isEmpty() || percentages.size() > 100) {
            throw new IllegalArgumentException("percentages must list 1 to 100 values in [0, 100)");
        }
        for (Double p : percentages) {
            if (p == null) {
                throw new IllegalArgumentException("percentages must not contain null");
            }
            Percentage.check(p);
        }
        return percentages.stream().distinct().sorted().toList();
    }

    /** Run ids name runs in keys, metrics and file names, so they are kept to a safe alphabet. */
    public static final class RunIds {
        private static final java.util.regex.Pattern SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        private RunIds() {
        }

        public static String checkOrCreate(String runId) {
            if (runId == null) {
                return "run-" + UUID.randomUUID().toString().substring(0, 8);
            }
            if (!SAFE.matcher(runId).matches()) {
                throw new IllegalArgumentException("runId '" + runId
                        + "' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            return runId;
        }
    }
}
