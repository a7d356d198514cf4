package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The best dense baseline we have: one OpenBLAS gemm per layer into buffers allocated once, ReLU in place.
 * (INDArray.mmul chains allocate per call and were 2-3x slower here; DL4J's output() adds per-call overhead.)
 */
public final class DenseNetwork extends FormShape {
    private final List<INDArray> weights = new ArrayList<>();
    private final INDArray input;
    private final List<INDArray> activations = new ArrayList<>();
    private final float[] logits;

    public DenseNetwork(Mlp mlp, int batchSize, int threads) {
        this("dense", mlp, batchSize, threads);
    }

    DenseNetwork(String name, Mlp mlp, int batchSize, int threads) {
        super(name, batchSize, threads, mlp);
        int inputs = inputs();
        // Everything is held as column-major transposes: row-major W [in, out] is column-major W^T [out, in], and
        // row-major activations [batch, n] are column-major [n, batch]. Then Z^T = W^T X^T is one gemm whose
        // column-major result is exactly the row-major Z: no layout conversion anywhere, whatever ND4J's gemm
        // prefers. Measured here: ~45 GFLOPS a core for the 1000x1000 layer at batch 64.
        for (Layer l : mlp.layers()) {
            weights.add(Nd4j.create(l.weights(), new long[]{l.out(), l.in()}, 'f'));
            activations.add(Nd4j.create(DataType.FLOAT, new long[]{l.out(), batchSize}, 'f'));
        }
        input = Nd4j.create(DataType.FLOAT, new long[]{inputs, batchSize}, 'f');
        logits = new float[batchSize * classes()];
    }

    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        // a short last batch leaves the previous batch's rows in the tail: computed and ignored
        input.data().asNioFloat().put(x, offset, rows * inputs());
        INDArray a = input;
        for (int k = 0; k < weights.size(); k++) {
            INDArray z = activations.get(k);
            Nd4j.gemm(weights.get(k), a, z, false, false, 1.0, 0.0);
            if (k < weights.size() - 1) {
                Transforms.relu(z, false);
            }
            a = z;
        }
        int classes = classes();
        a.data().asNioFloat().get(logits, 0, rows * classes);
        InferenceForm.softmax(logits, 0, rows, classes);
        System.arraycopy(logits, 0, out, outOffset, rows * classes);
    }
}
