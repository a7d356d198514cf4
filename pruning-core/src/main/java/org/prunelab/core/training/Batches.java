package org.prunelab.core.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.prunelab.core.data.LabeledImages;

/** Copies examples out of a {@link LabeledImages} into ND4J features and one-hot labels. */
final class Batches {
    private Batches() {
    }

    static INDArray features(LabeledImages data, int[] order, int from, int to) {
        int f = data.features();
        float[] x = new float[(to - from) * f];
        for (int r = from; r < to; r++) {
            System.arraycopy(data.pixels(), order[r] * f, x, (r - from) * f, f);
        }
        return Nd4j.create(x, new long[]{to - from, f}, 'c');
    }

    static INDArray oneHot(LabeledImages data, int[] order, int from, int to) {
        int c = data.classes();
        float[] y = new float[(to - from) * c];
        for (int r = from; r < to; r++) {
            y[(r - from) * c + data.labels()[order[r]]] = 1f;
        }
        return Nd4j.create(y, new long[]{to - from, c}, 'c');
    }

    static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }
}
