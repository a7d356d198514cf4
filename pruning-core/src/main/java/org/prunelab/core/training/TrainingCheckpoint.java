package org.prunelab.core.training;

import java.util.List;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Mlp;

/**
 * Where a training stood after an epoch: the weights, Adam's moments and step count, and the epochs' figures, which
 * is all a training needs to go on as if it had never stopped (the shuffle is replayed from the seed).
 *
 * @param m         Adam's first moments, per layer, in the weights' layout
 * @param v         Adam's second moments, per layer
 * @param iteration Adam steps taken (its bias correction depends on it)
 * @param seconds   training time spent up to this epoch
 */
public record TrainingCheckpoint(int epoch, Mlp weights, List<float[]> m, List<float[]> v, int iteration,
                                 List<EpochMetrics> history, double seconds) {
    public TrainingCheckpoint {
        m = List.copyOf(m);
        v = List.copyOf(v);
        history = List.copyOf(history);
        if (m.size() != weights.layers().size() || v.size() != weights.layers().size() || history.size() != epoch) {
            throw new IllegalArgumentException("a checkpoint after epoch " + epoch + " holds " + history.size()
                    + " epochs' figures and moments for " + m.size() + "/" + v.size() + " of "
                    + weights.layers().size() + " layers");
        }
    }

    /** Where a training keeps its checkpoints, if anywhere. */
    public interface Keeper {
        /** Keeps nothing: a training that stops starts again. */
        Keeper NONE = new Keeper() {
            @Override
            public java.util.Optional<TrainingCheckpoint> latest() {
                return java.util.Optional.empty();
            }

            @Override
            public void save(TrainingCheckpoint checkpoint) {
            }
        };

        /** The last checkpoint saved for this training, if one is there and fits it. */
        java.util.Optional<TrainingCheckpoint> latest();

        /** Replaces the last checkpoint; a crash while saving leaves the previous one. */
        void save(TrainingCheckpoint checkpoint);
    }
}
