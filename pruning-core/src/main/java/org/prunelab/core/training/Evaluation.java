package org.prunelab.core.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.Mlp;

/** Test loss (mean cross-entropy) and accuracy of a network on a labelled set. */
public record Evaluation(double loss, double accuracy, int examples) {
    private static final int BATCH = 1000;
    /** Probabilities are clipped here before the log, as Keras does, so a confident mistake costs a finite loss. */
    private static final double EPSILON = 1e-7;

    public static Evaluation of(Mlp mlp, LabeledImages data) {
        return of(Dl4jNetworks.fromMlp(mlp), data);
    }

    /** From softmax outputs [count, classes] that some inference form computed. */
    public static Evaluation ofOutputs(float[] p, LabeledImages data) {
        Tally t = new Tally(data.classes());
        t.add(p, data.labels(), 0, data.count());
        return t.result();
    }

    public static Evaluation of(MultiLayerNetwork net, LabeledImages data) {
        int[] order = Batches.identity(data.count());
        Tally t = new Tally(data.classes());
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(from + BATCH, data.count());
            INDArray out = net.output(Batches.features(data, order, from, to), false);
            t.add(out.dup('c').data().asFloat(), data.labels(), from, to - from);
        }
        return t.result();
    }

    private static final class Tally {
        private final int classes;
        private double loss;
        private int correct;
        private int count;

        Tally(int classes) {
            this.classes = classes;
        }

        /** Adds rows of probabilities p[rows, classes] whose labels start at labels[from]. */
        void add(float[] p, int[] labels, int from, int rows) {
            int c = classes;
            for (int r = 0; r < rows; r++) {
                int label = labels[from + r];
                loss -= Math.log(Math.max(p[r * c + label], EPSILON));
                int best = 0;
                for (int k = 1; k < c; k++) {
                    if (p[r * c + k] > p[r * c + best]) {
                        best = k;
                    }
                }
                if (best == label) {
                    correct++;
                }
            }
            count += rows;
        }

        Evaluation result() {
            return new Evaluation(loss / count, (double) correct / count, count);
        }
    }
}
