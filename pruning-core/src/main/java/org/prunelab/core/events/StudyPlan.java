package org.prunelab.core.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.lottery.Lottery;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.store.ResultLedger;

/**
 * What a training request makes of a run, derived from the request alone so that every service computes the same:
 * the training jobs (per seed: the model, the from-scratch networks, the fine-tunings of the pruned variants, the
 * lottery rounds), the variants it evaluates, and the ledger keys under which each step is recorded once.
 *
 * <p>The ledger keys are the run's progress: the trainer records the plan ({@link #planKey}) when it accepts the
 * request, each job's result under {@link #jobKey}, and the pruner each seed's pruning under {@link #pruningKey}. A
 * run is {@link #settled} when all of them are there: no training or pruning of it shares the CPU with a timed pass.
 */
public final class StudyPlan {
    private StudyPlan() {
    }

    /**
     * Variants a run evaluates: per seed, every method at every percentage (twice with fine-tuning: one-shot and
     * fine-tuned), plus the from-scratch networks.
     */
    public static int expectedVariants(List<Method> methods, List<Double> percentages, boolean baseline, int seeds,
                                       FineTuning fineTune) {
        return expectedVariants(methods, percentages, baseline, seeds, fineTune, null);
    }

    /** As above, plus each lottery round's networks ({@link Lottery#ROUND}) per seed. */
    public static int expectedVariants(List<Method> methods, List<Double> percentages, boolean baseline, int seeds,
                                       FineTuning fineTune, Lottery lottery) {
        int pruned = methods.size() * percentages.size() * (fineTune.enabled() ? 2 : 1);
        int rounds = lottery == null ? 0 : Lottery.ROUND.size() * lottery.complete().rounds();
        return seeds * (pruned + rounds + (baseline ? ScratchBaseline.percentages(percentages).size() : 0));
    }

    /** For a completed request. */
    public static int expectedVariants(TrainingRequest r) {
        return expectedVariants(r.methods(), r.percentages(), r.baseline(), r.seeds().size(), r.fineTuning(),
                r.lottery());
    }

    /**
     * The from-scratch network beside a seed's model at a percentage: of the neuron-pruned sizes, or in a lottery
     * run of as many weights as the round's ticket.
     */
    public static TrainingConfig scratchConfig(TrainingRequest r, long seed, double percentage) {
        return r.lottery() == null ? ScratchBaseline.config(r.config(seed), percentage)
                : ScratchBaseline.sameWeightConfig(r.config(seed), 784, 10, percentage);
    }

    /**
     * The jobs a request starts with: per seed its model and its from-scratch networks (which need nothing of the
     * model, so they train beside it). Fine-tunings follow from the pruner, once their variants exist.
     */
    public static List<TrainingJob> firstJobs(TrainingRequest r) {
        int expected = expectedVariants(r);
        List<TrainingJob> jobs = new ArrayList<>();
        for (long seed : r.seeds()) {
            jobs.add(TrainingJob.model(r, seed, expected));
        }
        if (r.baseline()) {
            for (long seed : r.seeds()) {
                for (double p : ScratchBaseline.percentages(r.percentages())) {
                    jobs.add(TrainingJob.scratch(r.runId(), seed, scratchConfig(r, seed, p), p, expected));
                }
            }
        }
        return jobs;
    }

    /**
     * The jobs that follow a finished model or ticket of a lottery run: the next round's three networks, pruned from
     * {@code previousId} (the model, at the first round; the ticket at {@code percentage}, after it); none after the
     * last round or outside a lottery.
     */
    public static List<TrainingJob> nextLotteryRound(TrainingJob done, String modelId, String previousId) {
        Lottery lottery = done.lottery();
        if (lottery == null || (done.kind() != JobKind.MODEL && !done.ticket())) {
            return List.of();
        }
        var next = done.kind() == JobKind.MODEL ? java.util.OptionalDouble.of(lottery.percentages().get(0))
                : lottery.next(done.percentage());
        if (next.isEmpty()) {
            return List.of();
        }
        return TrainingJob.lotteryRound(done.runId(), done.seed(), done.training(), lottery, next.getAsDouble(),
                modelId, previousId, done.expectedVariants());
    }

    /** The keys of every job the run trains, fine-tunings included. */
    public static List<String> jobKeys(TrainingRequest r) {
        List<String> keys = new ArrayList<>(firstJobs(r).stream().map(TrainingJob::key).toList());
        if (r.fineTuning().enabled()) {
            for (long seed : r.seeds()) {
                for (Method m : r.methods()) {
                    for (double p : r.percentages()) {
                        keys.add(PrunedVariantEvent.key(r.runId(), seed, m, p, Stage.FINE_TUNED));
                    }
                }
            }
        }
        if (r.lottery() != null) {
            for (long seed : r.seeds()) {
                for (double p : r.lottery().percentages()) {
                    for (Lottery.Network n : Lottery.ROUND) {
                        keys.add(PrunedVariantEvent.key(r.runId(), seed, n.method(), p, n.stage()));
                    }
                }
            }
        }
        return keys;
    }

    /** Where the trainer records the run's accepted request. */
    public static String planKey(String runId) {
        return "plan/" + runId;
    }

    /** Where a job's result is recorded. */
    public static String jobKey(String key) {
        return "job/" + key;
    }

    /** Where the pruner records a seed's pruning of a run, once all its variants are stored. */
    public static String pruningKey(String runId, long seed) {
        return "pruning/" + runId + "/s" + seed;
    }

    /** The run's recorded request, if the trainer accepted one for it (a re-prune has none). */
    public static Optional<TrainingRequest> plan(ResultLedger ledger, String runId) {
        return ledger.find(planKey(runId)).map(json -> Json.read(json, TrainingRequest.class));
    }

    /** The one-shot variants the pruner stored for a run's seed, as it recorded them; empty before it has. */
    public static List<PrunedVariantEvent> prunedVariants(ResultLedger ledger, String runId, long seed) {
        return ledger.find(pruningKey(runId, seed)).map(json -> Json.read(json, PrunedRun.class).variants())
                .filter(java.util.Objects::nonNull).orElse(List.of());
    }

    /**
     * Whether the run's training and pruning are all done: for a planned run every job and every seed's pruning,
     * for a re-prune ({@code seed}'s) pruning.
     */
    public static boolean settled(ResultLedger ledger, String runId, long seed) {
        Optional<TrainingRequest> plan = plan(ledger, runId);
        if (plan.isEmpty()) {
            return ledger.find(pruningKey(runId, seed)).isPresent();
        }
        TrainingRequest r = plan.get();
        return r.seeds().stream().allMatch(s -> ledger.find(pruningKey(runId, s)).isPresent())
                && jobKeys(r).stream().allMatch(k -> ledger.find(jobKey(k)).isPresent());
    }
}
