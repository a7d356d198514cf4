package org.prunelab.core.training;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/** Builds the study's network in DL4J and moves weights between DL4J and {@link Mlp}. */
public final class Dl4jNetworks {
    private Dl4jNetworks() {
    }

    /**
     * A bias-free MLP: ReLU hidden layers, softmax output, multi-class cross-entropy, Adam.
     * Weights start from Xavier (Glorot) uniform, the seed's Keras default, drawn from {@code seed}.
     */
    public static MultiLayerNetwork create(List<Integer> sizes, double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new JavaAdam(learningRate))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
        int last = sizes.size() - 2;
        for (int k = 0; k <= last; k++) {
            if (k < last) {
                b.layer(new DenseLayer.Builder().nIn(sizes.get(k)).nOut(sizes.get(k + 1))
                        .hasBias(false).activation(Activation.RELU).build());
            } else {
                b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(sizes.get(k))
                        .nOut(sizes.get(k + 1)).hasBias(false).activation(Activation.SOFTMAX).build());
            }
        }
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A DL4J network holding exactly these weights (for inference; the updater state is fresh). */
    public static MultiLayerNetwork fromMlp(Mlp mlp) {
        MultiLayerNetwork net = create(mlp.sizes(), 1e-3, 0);
        for (int k = 0; k < mlp.layers().size(); k++) {
            Layer l = mlp.layer(k);
            net.setParam(k + "_W", Nd4j.create(l.weights(), new long[]{l.in(), l.out()}, 'c'));
        }
        return net;
    }

    public static Mlp toMlp(MultiLayerNetwork net) {
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k < net.getnLayers(); k++) {
            INDArray w = net.getParam(k + "_W");
            float[] data = w.dup('c').data().asFloat();
            layers.add(new Layer((int) w.size(0), (int) w.size(1), data));
        }
        return new Mlp(layers);
    }
}
