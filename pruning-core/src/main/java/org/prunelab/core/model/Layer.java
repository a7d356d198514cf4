package org.prunelab.core.model;

import java.util.Arrays;

/**
 * The weight matrix of one fully connected layer without bias, shape [in, out], stored row-major:
 * element (i, j) connects input i to neuron j and lives at {@code weights[i * out + j]}.
 * A neuron is a column; its incoming weights are the column's entries.
 */
public record Layer(int in, int out, float[] weights) {

    public Layer {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got [" + in + ", " + out + "]");
        }
        if (weights.length != (long) in * out) {
            throw new IllegalArgumentException("layer [" + in + ", " + out + "] needs " + (long) in * out
                    + " weights, got " + weights.length);
        }
    }

    public float get(int i, int j) {
        return weights[i * out + j];
    }

    public int size() {
        return weights.length;
    }

    public Layer copy() {
        return new Layer(in, out, weights.clone());
    }

    public long zeros() {
        long z = 0;
        for (float w : weights) {
            if (w == 0f) {
                z++;
            }
        }
        return z;
    }

    /** L2 norm of each neuron's incoming weights (each column). */
    public double[] columnNorms() {
        double[] sq = new double[out];
        for (int i = 0; i < in; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                double w = weights[row + j];
                sq[j] += w * w;
            }
        }
        for (int j = 0; j < out; j++) {
            sq[j] = Math.sqrt(sq[j]);
        }
        return sq;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layer l && l.in == in && l.out == out && Arrays.equals(l.weights, weights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * in + out) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "Layer[" + in + ", " + out + "]";
    }
}
