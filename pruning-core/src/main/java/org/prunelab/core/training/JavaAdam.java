package org.prunelab.core.training;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * DL4J's Adam, same rule and state, with the update step done by a Java loop over the arrays' native memory.
 * Measured on this project's 2-core machines for the study's 2.4 M weights: ND4J's fused Adam op took
 * 17.5 ms a call with one native thread, this loop 2.7 ms; at 938 batches an epoch that is 14 s saved.
 */
public class JavaAdam extends Adam {
    public JavaAdam(double learningRate) {
        super(learningRate);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        long[] gradientShape = viewArray.shape().clone();
        gradientShape[gradientShape.length - 1] /= 2; // the view holds M then V

        u.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public JavaAdam clone() {
        return new JavaAdam(getLearningRate());
    }

    static final class Updater extends AdamUpdater {
        Updater(Adam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            Map<String, INDArray> state = getState();
            INDArray m = state.get(M_STATE);
            INDArray v = state.get(V_STATE);
            if (!contiguous(gradient) || !contiguous(m) || !contiguous(v)) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            Adam c = getConfig();
            double lr = c.getLearningRate(iteration, epoch);
            double b1 = c.getBeta1();
            double b2 = c.getBeta2();
            float eps = (float) c.getEpsilon();
            // DL4J's bias correction: alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t), t = iteration + 1
            float alpha = (float) (lr * Math.sqrt(1 - Math.pow(b2, iteration + 1)) / (1 - Math.pow(b1, iteration + 1)));
            float fb1 = (float) b1;
            float fb2 = (float) b2;
            long n = gradient.length();
            MemorySegment g = segment(gradient, n);
            MemorySegment ms = segment(m, n);
            MemorySegment vs = segment(v, n);
            for (long i = 0; i < n; i++) {
                float gi = g.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                float mi = fb1 * ms.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i) + (1 - fb1) * gi;
                float vi = fb2 * vs.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i) + (1 - fb2) * gi * gi;
                ms.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, mi);
                vs.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, vi);
                g.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, alpha * mi / ((float) Math.sqrt(vi) + eps));
            }
        }

        private static boolean contiguous(INDArray a) {
            return a != null && a.dataType() == DataType.FLOAT && (a.rank() <= 1 || a.isVector())
                    && a.elementWiseStride() == 1;
        }

        private static MemorySegment segment(INDArray a, long n) {
            long address = a.data().addressPointer().address(); // a view's buffer pointer already includes its offset
            return MemorySegment.ofAddress(address).reinterpret(n * Float.BYTES);
        }
    }
}
