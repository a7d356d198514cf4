package org.prunelab.pruner.service;

import java.util.Locale;
import org.prunelab.core.analysis.Histogram;
import org.prunelab.core.analysis.LayerAnalysis;
import org.prunelab.core.analysis.TopWeightSpread;
import org.prunelab.support.metrics.RunGauges;
import org.prunelab.core.model.Mlp;

/**
 * A trained model's analyses as run-tagged gauges, so that Grafana charts them beside the run's results: per hidden
 * layer the |weight| and neuron-norm histograms (one series per bin, tagged with the bin's centre), the histogram of
 * top-10 % weights per neuron, and the spread's summary (Gini, neurons without any top-10 % weight).
 */
public final class AnalysisGauges {
    private AnalysisGauges() {
    }

    public static void export(RunGauges gauges, String run, String dataset, Mlp model) {
        for (LayerAnalysis l : LayerAnalysis.of(model)) {
            String layer = Integer.toString(l.layer());
            bins(gauges, run, dataset, layer, "analysis_weight_magnitude_count",
                    "Weights of the layer whose |weight| falls in the bin (bin: its centre)", l.weightMagnitudes());
            bins(gauges, run, dataset, layer, "analysis_neuron_norm_count",
                    "Neurons of the layer whose incoming-weight L2 norm falls in the bin (bin: its centre)",
                    l.neuronNorms());
            TopWeightSpread s = l.topTenPercent();
            bins(gauges, run, dataset, layer, "analysis_top10_spread_neurons",
                    "Neurons receiving the bin's number of the layer's top-10 % weights (bin: its centre)",
                    s.histogram());
            gauges.set(run, "analysis_top10_gini", "Gini coefficient of the top-10 % weights over the layer's neurons "
                    + "(0: even, 1: all in one neuron)", s.gini(), "dataset", dataset, "layer", layer);
            gauges.set(run, "analysis_top10_neurons_without_ratio", "Share of the layer's neurons without any top-10 % "
                    + "weight", (double) s.neuronsWithNone() / l.out(), "dataset", dataset, "layer", layer);
        }
    }

    private static void bins(RunGauges gauges, String run, String dataset, String layer, String name,
                             String description, Histogram h) {
        for (int b = 0; b < h.counts().length; b++) {
            String centre = String.format(Locale.ROOT, "%.5g", h.centre(b));
            gauges.set(run, name, description, h.counts()[b], "dataset", dataset, "layer", layer, "bin", centre);
        }
    }
}
