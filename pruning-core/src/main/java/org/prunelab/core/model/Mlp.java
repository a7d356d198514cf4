package org.prunelab.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The weights of a bias-free multilayer perceptron: ReLU on every hidden layer, softmax on the last.
 * Layer k maps sizes()[k] to sizes()[k + 1].
 */
public record Mlp(List<Layer> layers) {

    public Mlp {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int k = 1; k < layers.size(); k++) {
            if (layers.get(k).in() != layers.get(k - 1).out()) {
                throw new IllegalArgumentException("layer " + k + " takes " + layers.get(k).in()
                        + " inputs but layer " + (k - 1) + " gives " + layers.get(k - 1).out());
            }
        }
    }

    /** Layer sizes from input to output, e.g. [784, 1000, 1000, 500, 200, 10]. */
    public List<Integer> sizes() {
        List<Integer> s = new ArrayList<>();
        s.add(layers.get(0).in());
        for (Layer l : layers) {
            s.add(l.out());
        }
        return s;
    }

    /** Number of hidden layers, the ones that pruning touches (all but the output layer). */
    public int hiddenLayers() {
        return layers.size() - 1;
    }

    public Layer layer(int k) {
        return layers.get(k);
    }

    public long parameters() {
        long n = 0;
        for (Layer l : layers) {
            n += l.size();
        }
        return n;
    }

    public long nonZeros() {
        long n = 0;
        for (Layer l : layers) {
            n += l.size() - l.zeros();
        }
        return n;
    }

    public Mlp copy() {
        return new Mlp(layers.stream().map(Layer::copy).toList());
    }
}
