package org.prunelab.core.events;

import java.util.List;
import org.prunelab.core.lottery.Lottery;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;

/**
 * Published to {@code trained-models} (key: run id) when a model of a run's seed is trained and stored. The model
 * travels by reference: {@code modelId} is its artifact id in the store, which is also its SHA-256; the seed is
 * {@code training.seed()}.
 *
 * @param baseline whether the run has from-scratch networks of the neuron-pruned sizes beside its variants
 * @param seeds    every seed the run trains a model for (absent in older records: this model's)
 * @param fineTune the fine-tuning each pruned variant gets (absent: none)
 * @param lottery  the run's lottery experiment, whose rounds the trainer trains from this model (absent: none)
 */
public record TrainedModelEvent(String runId, String modelId, String sha256, String dataset, List<Integer> sizes,
                                TrainingConfig training, List<EpochMetrics> history, double testLoss,
                                double testAccuracy, double secondsPerEpoch, List<Method> methods,
                                List<Double> percentages, boolean baseline, String createdAt, List<Long> seeds,
                                FineTuning fineTune, Lottery lottery) {
    public TrainedModelEvent {
        seeds = seeds == null ? List.of(training.seed()) : List.copyOf(seeds);
        fineTune = fineTune == null ? FineTuning.NONE : fineTune;
    }

    /** A run without a lottery experiment. */
    public TrainedModelEvent(String runId, String modelId, String sha256, String dataset, List<Integer> sizes,
                             TrainingConfig training, List<EpochMetrics> history, double testLoss,
                             double testAccuracy, double secondsPerEpoch, List<Method> methods,
                             List<Double> percentages, boolean baseline, String createdAt, List<Long> seeds,
                             FineTuning fineTune) {
        this(runId, modelId, sha256, dataset, sizes, training, history, testLoss, testAccuracy, secondsPerEpoch,
                methods, percentages, baseline, createdAt, seeds, fineTune, null);
    }

    /** The seed this model was trained from. */
    public long seed() {
        return training.seed();
    }

    /** Every variant the run will have evaluated, over all its seeds ({@link StudyPlan#expectedVariants}). */
    public int expectedVariants() {
        return StudyPlan.expectedVariants(methods, percentages, baseline, seeds.size(), fineTune, lottery);
    }
}
