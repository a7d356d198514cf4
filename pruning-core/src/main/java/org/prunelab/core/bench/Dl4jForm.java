package org.prunelab.core.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.training.Dl4jNetworks;

/** DL4J's own MultiLayerNetwork.output(), as the other dense baseline. */
final class Dl4jForm implements InferenceForm {
    private final MultiLayerNetwork net;
    private final int batchSize;
    private final int inputs;
    private final int classes;

    private final int threads;

    Dl4jForm(Mlp mlp, int batchSize, int threads) {
        this.threads = threads;
        this.net = Dl4jNetworks.fromMlp(mlp);
        this.batchSize = batchSize;
        this.inputs = mlp.layer(0).in();
        this.classes = mlp.layer(mlp.layers().size() - 1).out();
    }

    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        INDArray in = Nd4j.create(java.util.Arrays.copyOfRange(x, offset, offset + rows * inputs), new long[]{rows, inputs}, 'c');
        INDArray p = net.output(in, false);
        p.dup('c').data().asNioFloat().get(out, outOffset, rows * classes);
    }

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int classes() {
        return classes;
    }
}
