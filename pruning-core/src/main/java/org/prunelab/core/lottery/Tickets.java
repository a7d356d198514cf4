package org.prunelab.core.lottery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.training.MlpTrainer;

/** The masks and starting weights of a lottery round, and of its controls. */
public final class Tickets {
    private Tickets() {
    }

    /**
     * The round's mask: the previous round's trained network (the dense model for the first round) pruned by
     * magnitude, layer by layer, to the round's percentage. The previous round's pruned weights are zero, the
     * smallest magnitudes there are, so they stay pruned and the round prunes the smallest of the survivors.
     */
    public static List<float[]> mask(Mlp previous, double percentage) {
        return MlpTrainer.pruningMasks(Method.WEIGHT.apply(previous, percentage, 0));
    }

    /** A mask of the same per-layer counts drawn at random (the random-mask control), from {@code seed}. */
    public static List<float[]> randomMask(List<Integer> sizes, double percentage, long seed) {
        List<Layer> ones = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.size(); k++) {
            float[] w = new float[sizes.get(k) * sizes.get(k + 1)];
            Arrays.fill(w, 1f);
            ones.add(new Layer(sizes.get(k), sizes.get(k + 1), w));
        }
        return MlpTrainer.pruningMasks(Method.RANDOM.apply(new Mlp(ones), percentage, seed));
    }

    /** {@code weights} with every masked weight zeroed: the ticket, when they are the rewind point's. */
    public static Mlp apply(Mlp weights, List<float[]> masks) {
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < weights.layers().size(); k++) {
            Layer l = weights.layer(k);
            float[] w = l.weights().clone();
            float[] m = masks.get(k);
            if (m != null) {
                for (int i = 0; i < w.length; i++) {
                    if (m[i] == 0f) {
                        w[i] = 0f; // +0, never -0: a pruned weight reads as zero everywhere
                    }
                }
            }
            layers.add(new Layer(l.in(), l.out(), w));
        }
        return new Mlp(layers);
    }

    /** The share of the hidden layers' weights a mask keeps. */
    public static double remaining(List<float[]> masks) {
        long kept = 0;
        long all = 0;
        for (float[] m : masks) {
            if (m != null) {
                for (float v : m) {
                    kept += v != 0f ? 1 : 0;
                }
                all += m.length;
            }
        }
        return (double) kept / all;
    }
}
