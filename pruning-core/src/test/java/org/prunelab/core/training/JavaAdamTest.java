package org.prunelab.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

class JavaAdamTest {

    /** The Java loop must give DL4J's Adam updates, on views into larger buffers as DL4J hands them over. */
    @Test
    void matchesNd4jAdamOnViews() {
        int n = 1003;
        INDArray refState = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
        INDArray ownState = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
        GradientUpdater<?> ref = new Adam(1e-3).instantiate(refState, true);
        GradientUpdater<?> own = new JavaAdam(1e-3).instantiate(ownState, true);
        Nd4j.getRandom().setSeed(3);
        for (int it = 0; it < 5; it++) {
            INDArray big = Nd4j.randn(DataType.FLOAT, 1, n + 17);
            INDArray g1 = big.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(17, n + 17));
            INDArray g2 = g1.dup();
            ref.applyUpdater(g2, it, 0);
            own.applyUpdater(g1, it, 0);
            assertArrayEquals(g2.toFloatVector(), g1.toFloatVector(), 1e-6f, "update at iteration " + it);
        }
        assertArrayEquals(refState.toFloatVector(), ownState.toFloatVector(), 1e-6f, "M and V state");
    }
}
