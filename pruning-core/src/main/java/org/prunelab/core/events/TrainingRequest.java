package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.lottery.Lottery;
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
 * @param lottery  run the lottery-ticket experiment ({@link Lottery}); its rounds are the run's percentages (weight
 *                 pruning only), and unless the request says otherwise it runs {@link Lottery#DEFAULT_SEEDS},
 *                 {@link Lottery#DEFAULT_EPOCHS} epochs per training, the same-weights from-scratch networks and
 *                 {@link Lottery#DEFAULT_FINE_TUNE_EPOCHS} epoch of fine-tuning for the one-shot control
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRequest(String runId, String dataset, Integer epochs, Integer batchSize, List<Integer> hiddenSizes,
                              Long seed, Double learningRate, Integer trainLimit, List<Method> methods,
                              List<Double> percentages, Boolean baseline, List<Long> seeds,
                              Integer fineTuneEpochs, Double fineTuneLearningRate, Lottery lottery) {
    /** The most seeds one request may run the study for. */
    public static final int MAX_SEEDS = 20;

    /** The request with defaults filled in and every field checked. */
    public TrainingRequest complete() {
        TrainingConfig d = TrainingConfig.defaults(dataset == null ? "mnist" : dataset);
        Lottery tickets = lottery == null ? null : lottery.complete();
        TrainingConfig config = new TrainingConfig(Datasets.checkName(d.dataset()),
                hiddenSizes == null ? d.hiddenSizes() : hiddenSizes,
                epochs != null ? epochs : tickets != null ? Lottery.DEFAULT_EPOCHS : d.epochs(),
                batchSize == null ? d.batchSize() : batchSize,
                learningRate == null ? d.learningRate() : learningRate,
                seed == null ? d.seed() : seed,
                trainLimit == null ? 0 : trainLimit);
        config.validate(784, 10);
        List<Long> allSeeds = tickets != null && seeds == null && seed == null ? Lottery.DEFAULT_SEEDS
                : checkSeeds(seeds, seed, config.seed());
        int tuningEpochs = fineTuneEpochs != null ? fineTuneEpochs
                : tickets != null ? Lottery.DEFAULT_FINE_TUNE_EPOCHS : 0;
        FineTuning tuning = new FineTuning(tuningEpochs,
                fineTuneLearningRate == null ? FineTuning.DEFAULT_LEARNING_RATE : fineTuneLearningRate).validate();
        List<Method> ms = checkMethods(methods);
        List<Double> ps = checkPercentages(percentages);
        if (tickets != null) {
            // the rounds are the percentages, and the one-shot controls are weight pruning at them (a completed
            // request, completed again, names exactly those)
            List<Double> rounds = java.util.stream.Stream.concat(java.util.stream.Stream.of(0.0),
                    tickets.percentages().stream()).toList();
            if (methods != null && !ms.equals(List.of(Method.WEIGHT)) || percentages != null && !ps.equals(rounds)) {
                throw new IllegalArgumentException("a lottery request prunes by weight at its rounds' percentages ("
                        + rounds + "): leave out methods and percentages, or set lottery.rounds and lottery.rate");
            }
            ms = List.of(Method.WEIGHT);
            ps = rounds;
        }
        return new TrainingRequest(RunIds.checkOrCreate(runId), config.dataset(), config.epochs(), config.batchSize(),
                config.hiddenSizes(), allSeeds.get(0), config.learningRate(), config.trainLimit(), ms, ps,
                baseline != null ? baseline : tickets != null, allSeeds, tuning.epochs(), tuning.learningRate(),
                tickets);
    }

    /** The training of the first seed's model. */
    public TrainingConfig config() {
        return config(seed);
    }

    /**
     * The training of the model of {@code seed}, one of the request's seeds; with a lottery experiment, every
     * network of it is tested every {@link Lottery#testEvery()} iterations.
     */
    public TrainingConfig config(long seed) {
        return new TrainingConfig(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit,
                lottery == null ? 0 : lottery.testEvery());
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
