package org.prunelab.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON manifest stored inside every model artifact as {@code manifest.json}: enough to know what the
 * arrays are and where they came from without any other record.
 *
 * @param kind       "trained", "pruned", "fine-tuned" (a pruned variant retrained with its mask), "scratch" (a
 *                   from-scratch baseline network), or a lottery round's "rewound" or "reinitialized" network
 * @param arrays     names of the npz arrays in layer order, each shape [in, out]
 * @param sizes      layer sizes from input to output
 * @param training   how the (parent) model was trained
 * @param history    per-epoch test figures of the (parent) model's training
 * @param pruning    for a pruned variant: parent, method, percentage and sparsity reached; for a from-scratch
 *                   network: method "scratch" and the percentage (no parent: it trains beside the model, not from
 *                   it); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int formatVersion, String kind, String runId, List<String> arrays, List<Integer> sizes,
                            String hiddenActivation, String outputActivation, boolean bias, String dataset,
                            TrainingConfig training, List<EpochMetrics> history, PruningInfo pruning) {
    public static final int FORMAT_VERSION = 1;
    public static final String TRAINED = "trained";
    public static final String PRUNED = "pruned";
    /** A network of a pruned size trained from scratch; its {@code pruning} names the model it is the baseline of. */
    public static final String SCRATCH = "scratch";
    /** A pruned variant retrained with its mask fixed; its {@code pruning} is the variant's, its training the tuning's. */
    public static final String FINE_TUNED = "fine-tuned";

    public static ModelManifest trained(String runId, Mlp mlp, TrainingConfig training, List<EpochMetrics> history) {
        return new ModelManifest(FORMAT_VERSION, TRAINED, runId, arrayNames(mlp.layers().size()), mlp.sizes(),
                "relu", "softmax", false, training.dataset(), training, List.copyOf(history), null);
    }

    /** The manifest of a variant derived from this model. */
    public ModelManifest pruned(PruningInfo info) {
        return new ModelManifest(FORMAT_VERSION, PRUNED, runId, arrays, sizes, hiddenActivation, outputActivation,
                bias, dataset, training, history, info);
    }

    /** The manifest of a from-scratch network: trained, and tied to the model and percentage it stands beside. */
    public ModelManifest asScratchBaselineOf(PruningInfo info) {
        return new ModelManifest(FORMAT_VERSION, SCRATCH, runId, arrays, sizes, hiddenActivation, outputActivation,
                bias, dataset, training, history, info);
    }

    /**
     * The manifest of a lottery round's network: kind "rewound" or "reinitialized" (the stage), the mask's provenance
     * (the seed's model, the method, the round's percentage), and its own training.
     */
    public static ModelManifest lottery(String runId, Mlp mlp, TrainingConfig training, List<EpochMetrics> history,
                                        org.prunelab.core.pruning.Stage stage, PruningInfo info) {
        return new ModelManifest(FORMAT_VERSION, stage.id(), runId, arrayNames(mlp.layers().size()), mlp.sizes(),
                "relu", "softmax", false, training.dataset(), training, List.copyOf(history), info);
    }

    /** The kind of manifest a variant of this method and stage is stored with. */
    public static String kindOf(org.prunelab.core.pruning.Method method, org.prunelab.core.pruning.Stage stage) {
        if (method == org.prunelab.core.pruning.Method.SCRATCH) {
            return SCRATCH;
        }
        return switch (org.prunelab.core.pruning.Stage.orOneShot(stage)) {
            case ONE_SHOT -> PRUNED;
            case FINE_TUNED -> FINE_TUNED;
            case REWOUND, REINITIALIZED -> stage.id();
        };
    }

    /** The manifest of a fine-tuned variant: the pruned variant's provenance, the fine-tuning's training. */
    public ModelManifest fineTuned(TrainingConfig tuning, List<EpochMetrics> tuningHistory) {
        return new ModelManifest(FORMAT_VERSION, FINE_TUNED, runId, arrays, sizes, hiddenActivation, outputActivation,
                bias, dataset, tuning, List.copyOf(tuningHistory), pruning);
    }

    public static List<String> arrayNames(int layers) {
        return java.util.stream.IntStream.range(0, layers).mapToObj(i -> "layer_" + i).toList();
    }
}
