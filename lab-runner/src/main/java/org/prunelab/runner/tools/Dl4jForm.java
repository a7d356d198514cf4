package org.prunelab.runner.tools;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.prunelab.core.inference.FormShape;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.training.Dl4jNetworks;

/** DL4J's own MultiLayerNetwork.output(), as the other dense baseline. */
final class Dl4jForm extends FormShape {
    private final MultiLayerNetwork net;

    Dl4jForm(Mlp mlp, int batchSize, int threads) {
        super("dl4j", batchSize, threads, mlp);
        this.net = Dl4jNetworks.fromMlp(mlp);
    }

    @Override
    public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
        int inputs = inputs();
        INDArray in = Nd4j.create(java.util.Arrays.copyOfRange(x, offset, offset + rows * inputs), new long[]{rows, inputs}, 'c');
        INDArray p = net.output(in, false);
        p.dup('c').data().asNioFloat().get(out, outOffset, rows * classes());
    }
}
