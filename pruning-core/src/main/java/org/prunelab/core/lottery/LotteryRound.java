package org.prunelab.core.lottery;

import java.util.List;
import java.util.OptionalDouble;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.events.JobKind;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingCheckpoint;
import org.prunelab.core.training.TrainingEngine;

/**
 * One lottery job's network: the round's mask (the magnitude mask pruned from the previous round's ticket, or a
 * random one of the same per-layer counts) on the rewound weights (or, reinitialised, on fresh ones), trained with
 * the mask fixed. Everything is derived from the job and the previous network, so a job resumed or retried on
 * another trainer starts from the same ticket.
 */
public final class LotteryRound {
    private LotteryRound() {
    }

    /**
     * Trains the job's network.
     *
     * @param previous the network the job's mask is pruned from: the seed's model in the first round, else the
     *                 previous round's ticket; refused if it is not the one the job names
     */
    public static MlpTrainer.Result train(TrainingJob job, ModelArtifact previous, MlpTrainer trainer,
                                          LabeledImages train, LabeledImages test, MlpTrainer.Progress progress,
                                          TrainingCheckpoint.Keeper keeper) {
        if (job.kind() != JobKind.LOTTERY) {
            throw new IllegalArgumentException(job.key() + " is not a lottery job");
        }
        Lottery lottery = job.lottery().complete();
        int round = lottery.round(job.percentage());
        checkPrevious(job, lottery.previous(job.percentage()), previous.manifest());
        List<Integer> sizes = previous.mlp().sizes();
        List<float[]> masks = job.method() == Method.RANDOM
                ? Tickets.randomMask(sizes, job.percentage(), Lottery.maskSeed(job.seed(), round))
                : Tickets.mask(previous.mlp(), job.percentage());
        Mlp start = job.stage() == Stage.REINITIALIZED
                ? TrainingEngine.xavier(sizes, Lottery.reinitSeed(job.seed(), round))
                : trainer.rewindPoint(job.training(), train, lottery.rewindIteration());
        return trainer.train(Tickets.apply(start, masks), masks, job.training(), train, test, progress, keeper);
    }

    private static void checkPrevious(TrainingJob job, OptionalDouble before, ModelManifest m) {
        boolean fits = before.isEmpty()
                ? ModelManifest.TRAINED.equals(m.kind()) && job.variantId().equals(job.modelId())
                : Stage.REWOUND.id().equals(m.kind()) && m.pruning() != null
                && m.pruning().method() == Method.WEIGHT && m.pruning().percentage() == before.getAsDouble()
                && job.modelId().equals(m.pruning().parentArtifactId());
        if (!fits) {
            throw new IllegalArgumentException("artifact " + job.variantId() + " is not the " + (before.isEmpty()
                    ? "model" : before.getAsDouble() + " % ticket of model " + job.modelId()) + " that the "
                    + job.percentage() + " % round of the lottery prunes");
        }
    }
}
