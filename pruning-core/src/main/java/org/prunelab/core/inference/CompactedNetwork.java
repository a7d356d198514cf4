package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The fast form of a neuron-pruned network: a smaller dense network without the dead neurons. A hidden neuron
 * whose incoming weights are all zero outputs ReLU(0) = 0 whatever the input, so removing its column and the
 * matching row of the next layer leaves every output unchanged.
 */
public final class CompactedNetwork {
    private CompactedNetwork() {
    }

    /**
     * A compacted network and where its neurons came from.
     *
     * @param kept per hidden layer, the original indices of the neurons it keeps, ascending
     */
    public record Compaction(Mlp mlp, List<int[]> kept) {
    }

    public static Mlp compact(Mlp mlp) {
        return compaction(mlp).mlp();
    }

    public static Compaction compaction(Mlp mlp) {
        List<Layer> layers = new ArrayList<>();
        List<int[]> kept = new ArrayList<>();
        boolean[] keepIn = all(mlp.layer(0).in());
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            boolean hidden = k < mlp.hiddenLayers();
            boolean[] keepOut = hidden ? liveColumns(l, keepIn) : all(l.out());
            if (hidden && count(keepOut) == 0) {
                keepOut[0] = true; // an all-dead layer still needs a width; its one neuron outputs 0 as before
            }
            layers.add(select(l, keepIn, keepOut));
            if (hidden) {
                boolean[] keep = keepOut;
                kept.add(java.util.stream.IntStream.range(0, keep.length).filter(j -> keep[j]).toArray());
            }
            keepIn = keepOut;
        }
        return new Compaction(new Mlp(layers), kept);
    }

    private static boolean[] liveColumns(Layer l, boolean[] liveRows) {
        boolean[] live = new boolean[l.out()];
        for (int i = 0; i < l.in(); i++) {
            if (!liveRows[i]) {
                continue;
            }
            for (int j = 0; j < l.out(); j++) {
                if (l.weights()[i * l.out() + j] != 0f) {
                    live[j] = true;
                }
            }
        }
        return live;
    }

    private static Layer select(Layer l, boolean[] rows, boolean[] cols) {
        int nr = count(rows);
        int nc = count(cols);
        float[] w = new float[nr * nc];
        int p = 0;
        for (int i = 0; i < l.in(); i++) {
            if (!rows[i]) {
                continue;
            }
            for (int j = 0; j < l.out(); j++) {
                if (cols[j]) {
                    w[p++] = l.weights()[i * l.out() + j];
                }
            }
        }
        return new Layer(nr, nc, w);
    }

    private static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) {
            if (x) {
                c++;
            }
        }
        return c;
    }
}
