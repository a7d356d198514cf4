package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Method;

/**
 * What a user posts to {@code training-requests} to start a run. Every field is optional; {@link #complete()}
 * fills the study's defaults and refuses anything invalid with a reason. See docs/events.md.
 *
 * @param baseline also train networks of the neuron-pruned sizes from scratch ({@link ScratchBaseline}); default false
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRequest(String runId, String dataset, Integer epochs, Integer batchSize, List<Integer> hiddenSizes,
                              Long seed, Double learningRate, Integer trainLimit, List<Method> methods,
                              List<Double> percentages, Boolean baseline) {
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
        return new TrainingRequest(RunIds.checkOrCreate(runId), config.dataset(), config.epochs(), config.batchSize(),
                config.hiddenSizes(), config.seed(), config.learningRate(), config.trainLimit(),
                checkMethods(methods), checkPercentages(percentages), baseline != null && baseline);
    }

    public TrainingConfig config() {
        return new TrainingConfig(dataset, hiddenSizes, epochs, batchSize, learningRate, seed, trainLimit);
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
