package org.prunelab.core.analysis;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The seed's "why" for one hidden layer of a trained model: the distribution of weight magnitudes, the distribution
 * of neuron norms (L2 of incoming weights), and how the top 10 % of weights spread over the neurons.
 */
public record LayerAnalysis(int layer, int in, int out, Histogram weightMagnitudes, Histogram neuronNorms,
                            TopWeightSpread topTenPercent) {
    public static final int BINS = 50;

    public static LayerAnalysis of(int index, Layer l) {
        float[] w = l.weights();
        double[] magnitudes = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            magnitudes[i] = Math.abs(w[i]);
        }
        return new LayerAnalysis(index, l.in(), l.out(), Histogram.of(magnitudes, BINS),
                Histogram.of(l.columnNorms(), BINS), TopWeightSpread.of(l, 0.10));
    }

    /** Every hidden layer (the output layer is never pruned, so it is not analysed). */
    public static List<LayerAnalysis> of(Mlp model) {
        List<LayerAnalysis> out = new ArrayList<>();
        for (int k = 0; k < model.hiddenLayers(); k++) {
            out.add(of(k, model.layer(k)));
        }
        return out;
    }
}
