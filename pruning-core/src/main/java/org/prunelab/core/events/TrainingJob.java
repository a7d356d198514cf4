package org.prunelab.core.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.prunelab.core.lottery.Lottery;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.pruning.Stage;

/**
 * One network to train, on {@code training-jobs} (key: {@link #key()}), which the trainers consume as one consumer
 * group: a seed's model, a from-scratch baseline network, the fine-tuning of a pruned variant, or a lottery round's
 * network. Each job's result is recorded once under its key; a job redelivered after a crash resumes from its last
 * epoch checkpoint.
 *
 * @param training         what to train: sizes, epochs, learning rate, batch, seed and data (for a fine-tuning, its
 *                         own epochs and rate; the sizes are the model's)
 * @param request          for a model job, the run's completed request (what the model's event announces); else null
 * @param method           the variant's method: {@link Method#SCRATCH} for a baseline network, the pruning method
 *                         of a fine-tuning, {@link Method#WEIGHT} for a lottery ticket (iterative magnitude) and
 *                         {@link Method#RANDOM} for its random-mask control; null for a model
 * @param modelId          for a fine-tuning or a lottery round, the seed's trained model; else null
 * @param variantId        for a fine-tuning, the pruned variant to retrain (its zeros are the mask); for a lottery
 *                         round, the network its mask is pruned from (the model, or the previous round's ticket)
 * @param expectedVariants the run's variant count, carried into the variant events the job leads to
 * @param stage            for a lottery round, {@link Stage#REWOUND} (the ticket, or the random mask) or
 *                         {@link Stage#REINITIALIZED}; else null
 * @param lottery          for a lottery round (and a lottery run's model), the run's completed lottery settings
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJob(String runId, JobKind kind, long seed, TrainingConfig training, TrainingRequest request,
                          Method method, Double percentage, String modelId, String variantId, String sha256,
                          int expectedVariants, Stage stage, Lottery lottery) {

    public static TrainingJob model(TrainingRequest request, long seed, int expectedVariants) {
        return new TrainingJob(request.runId(), JobKind.MODEL, seed, request.config(seed), request, null, null, null,
                null, null, expectedVariants, null, request.lottery());
    }

    public static TrainingJob scratch(String runId, long seed, TrainingConfig training, double percentage,
                                      int expectedVariants) {
        return new TrainingJob(runId, JobKind.SCRATCH, seed, training, null, Method.SCRATCH, percentage, null, null,
                null, expectedVariants, null, null);
    }

    public static TrainingJob fineTune(PrunedVariantEvent pruned, TrainingConfig training) {
        return new TrainingJob(pruned.runId(), JobKind.FINE_TUNE, pruned.seed(), training, null, pruned.method(),
                pruned.percentage(), pruned.modelId(), pruned.variantId(), pruned.sha256(), pruned.expectedVariants(),
                null, null);
    }

    /**
     * The three networks of a lottery round at {@code percentage}: the ticket (magnitude mask, rewound weights), the
     * same mask from fresh initial weights, and a random mask of the same per-layer counts from the rewound weights.
     * Their masks are pruned from {@code previousId} (the model for the first round, else the previous ticket).
     */
    public static List<TrainingJob> lotteryRound(String runId, long seed, TrainingConfig training, Lottery lottery,
                                                 double percentage, String modelId, String previousId,
                                                 int expectedVariants) {
        return Lottery.ROUND.stream().map(n -> new TrainingJob(runId, JobKind.LOTTERY, seed, training, null,
                n.method(), percentage, modelId, previousId, previousId, expectedVariants, n.stage(), lottery))
                .toList();
    }

    /** Whether this job trains a round's ticket, whose network the next round's masks are pruned from. */
    public boolean ticket() {
        return kind == JobKind.LOTTERY && Lottery.ROUND.get(0).equals(new Lottery.Network(method, stage));
    }

    /** Refuses a job whose fields could not name real work, before anything trains for it. */
    public TrainingJob validate() {
        if (runId == null || kind == null || training == null) {
            throw new IllegalArgumentException("runId, kind and training are required");
        }
        TrainingRequest.RunIds.checkOrCreate(runId);
        training.validate(784, 10);
        switch (kind) {
            case MODEL -> {
                if (request == null) {
                    throw new IllegalArgumentException("a model job carries its run's request");
                }
            }
            case SCRATCH -> {
                if (method != Method.SCRATCH || percentage == null) {
                    throw new IllegalArgumentException("a scratch job has method scratch and a percentage");
                }
                Percentage.check(percentage);
            }
            case FINE_TUNE -> {
                if (method == null || !method.prunes() || percentage == null || modelId == null || variantId == null) {
                    throw new IllegalArgumentException("a fine-tune job names the pruning method, percentage, model "
                            + "and pruned variant");
                }
                Percentage.check(percentage);
            }
            case LOTTERY -> {
                if (lottery == null || percentage == null || modelId == null || variantId == null
                        || !Lottery.ROUND.contains(new Lottery.Network(method, stage))) {
                    throw new IllegalArgumentException("a lottery job names its settings, the percentage, the model, "
                            + "the network its mask comes from, and one of weight/rewound, weight/reinitialized, "
                            + "random/rewound");
                }
                if (lottery.complete().round(percentage) == 0) {
                    throw new IllegalArgumentException(percentage + " % is not a round of the lottery " + lottery);
                }
            }
        }
        return this;
    }

    /** The job's idempotency key: "run/s42/model", or the key of the variant it produces. */
    public String key() {
        return switch (kind) {
            case MODEL -> modelKey(runId, seed);
            case SCRATCH -> PrunedVariantEvent.key(runId, seed, Method.SCRATCH, percentage, Stage.ONE_SHOT);
            case FINE_TUNE -> PrunedVariantEvent.key(runId, seed, method, percentage, Stage.FINE_TUNED);
            case LOTTERY -> PrunedVariantEvent.key(runId, seed, method, percentage, stage);
        };
    }

    public static String modelKey(String runId, long seed) {
        return runId + "/s" + seed + "/model";
    }

    /** How progress names the network: "model", "scratch 50%", "weight 90% fine-tuned". */
    public String network() {
        return switch (kind) {
            case MODEL -> TrainingProgress.MODEL;
            case SCRATCH -> Method.SCRATCH.id() + " " + Percentage.label(percentage) + "%";
            case FINE_TUNE -> method.id() + " " + Percentage.label(percentage) + "% " + Stage.FINE_TUNED.id();
            case LOTTERY -> method.id() + " " + Percentage.label(percentage) + "% " + stage.id();
        };
    }
}
