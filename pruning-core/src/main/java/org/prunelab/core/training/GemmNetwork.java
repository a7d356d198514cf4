package org.prunelab.core.training;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * The study's MLP as native buffers and a training step made of OpenBLAS gemm calls and vectorised Java loops,
 * without a framework between them. The work of each layer is split over a {@link Team} by output columns, so every
 * gemm keeps the whole batch as its row count (64 rows are already few for a gemm kernel) and every part updates
 * the weights of the columns it computed the gradient of, while that block is still in its cache.
 *
 * <p>Mathematics as in {@link Dl4jNetworks}: bias-free ReLU layers, softmax output, mean cross-entropy over the
 * batch, Adam as {@link JavaAdam}.
 */
final class GemmNetwork implements AutoCloseable {
    /** Layers narrower than this are not split (a part of a few columns costs more in calls than it saves). */
    private static final int MIN_SPLIT = 128;
    private static final int ALIGN = 16;
    private static final int EVAL_TILE = 500;
    /**
     * Columns of weight gradient per chunk: 1000 x 128 floats is 512 KB, well inside a core's L2. Measured (MNIST
     * epoch, 2 threads): 7.7 s with the whole gradient written and read back, 7.1 s with chunks of 128 or 256.
     */
    private static final int CHUNK = 128;

    private final Arena arena = Arena.ofShared();
    private final Team team;
    /** The OpenBLAS build every gemm calls (training's: {@link Blas#standard()}). */
    private final Blas blas = Blas.standard();
    private final int[] s;
    private final int layers;
    private final int batch;
    private final MemorySegment[] w;
    private final MemorySegment[] m;
    private final MemorySegment[] v;
    /** Per part: one chunk of a layer's weight gradient, s[k] x CHUNK at most. */
    private final MemorySegment[] grad;
    private final MemorySegment[] mask;
    /** act[0] the input batch, act[k] layer k's output (after ReLU), act[L] the logits, then probabilities. */
    private final MemorySegment[] act;
    /** delta[k] (k >= 1): gradient of the loss with respect to layer k's pre-activation. */
    private final MemorySegment[] delta;
    private final float b1;
    private final float b2;
    private final float eps;
    private final double learningRate;
    private int iteration;
    private double batchLoss;

    GemmNetwork(Mlp initial, List<float[]> masks, int batch, double learningRate, Team team) {
        this.team = team;
        this.layers = initial.layers().size();
        this.s = initial.sizes().stream().mapToInt(Integer::intValue).toArray();
        this.batch = batch;
        this.learningRate = learningRate;
        this.b1 = 0.9f;
        this.b2 = 0.999f;
        this.eps = 1e-8f;
        w = new MemorySegment[layers];
        m = new MemorySegment[layers];
        v = new MemorySegment[layers];
        mask = new MemorySegment[layers];
        for (int k = 0; k < layers; k++) {
            long n = (long) s[k] * s[k + 1];
            w[k] = floats(n);
            MemorySegment.copy(initial.layer(k).weights(), 0, w[k], ValueLayout.JAVA_FLOAT, 0, (int) n);
            m[k] = floats(n);
            v[k] = floats(n);
            if (masks != null && masks.get(k) != null) {
                mask[k] = floats(n);
                MemorySegment.copy(masks.get(k), 0, mask[k], ValueLayout.JAVA_FLOAT, 0, (int) n);
            }
        }
        int widest = initial.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        grad = new MemorySegment[team.size()];
        for (int p = 0; p < grad.length; p++) {
            grad[p] = floats((long) widest * CHUNK);
        }
        act = new MemorySegment[layers + 1];
        delta = new MemorySegment[layers + 1];
        for (int k = 0; k <= layers; k++) {
            act[k] = floats((long) batch * s[k]);
            if (k > 0) {
                delta[k] = floats((long) batch * s[k]);
            }
        }
    }

    private MemorySegment floats(long n) {
        return arena.allocate(n * Float.BYTES, 64); // zeroed
    }

    /** One Adam step on the examples order[from, to) and returns their mean cross-entropy before the step. */
    double step(LabeledImages data, int[] order, int from, int to) {
        int n = to - from;
        iteration++;
        // DL4J's bias correction: alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t)
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(b2, iteration)) / (1 - Math.pow(b1, iteration)));
        team.run(part -> stepPart(part, data, order, from, n, alpha));
        return batchLoss;
    }

    private void stepPart(int part, LabeledImages data, int[] order, int from, int n, float alpha) {
        int parts = team.size();
        int f = s[0];
        for (int r = split(n, parts, part, 1); r < split(n, parts, part + 1, 1); r++) {
            MemorySegment.copy(data.pixels(), order[from + r] * f, act[0], ValueLayout.JAVA_FLOAT, (long) r * f * Float.BYTES, f);
        }
        team.sync();
        int last = layers - 1;
        for (int k = 0; k < layers; k++) {
            int c0 = columns(k, part);
            int c1 = columns(k, part + 1);
            if (c1 > c0) {
                blas.sgemm(false, false, n, c1 - c0, s[k], act[k], s[k], at(w[k], c0), s[k + 1],
                        0f, at(act[k + 1], c0), s[k + 1]);
                if (k < last) {
                    Kernels.relu(act[k + 1], n, s[k + 1], c0, c1);
                }
            }
            if (k == last && part == 0) {
                batchLoss = softmaxGradient(data, order, from, n);
            }
            team.sync();
        }
        for (int k = last; k >= 0; k--) {
            if (k > 0) {
                int r0 = split(s[k], parts, part, ALIGN);
                int r1 = split(s[k], parts, part + 1, ALIGN);
                if (r1 > r0) {
                    blas.sgemm(false, true, n, r1 - r0, s[k + 1], delta[k + 1], s[k + 1],
                            at(w[k], (long) r0 * s[k + 1]), s[k + 1], 0f, at(delta[k], r0), s[k]);
                    Kernels.reluMask(delta[k], act[k], n, s[k], r0, r1);
                }
            }
            team.sync(); // every part has read w[k] before any part updates it
            int c0 = columns(k, part);
            int c1 = columns(k, part + 1);
            // the gradient in chunks of columns, each used by Adam while it is still in this core's cache
            for (int a = c0; a < c1; a += CHUNK) {
                int b = Math.min(a + CHUNK, c1);
                blas.sgemm(true, false, s[k], b - a, n, act[k], s[k], at(delta[k + 1], a), s[k + 1],
                        0f, grad[part], b - a);
                Kernels.adam(w[k], m[k], v[k], mask[k], s[k], s[k + 1], a, b, grad[part], b - a, b1, b2, alpha, eps);
            }
        }
    }

    /** Softmax of the logits in place, the batch's mean loss, and delta[L] = (p - onehot) / n. */
    private double softmaxGradient(LabeledImages data, int[] order, int from, int n) {
        int c = s[layers];
        MemorySegment z = act[layers];
        MemorySegment d = delta[layers];
        ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
        double loss = 0;
        for (int r = 0; r < n; r++) {
            long base = (long) r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, z.getAtIndex(F, base + j));
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(z.getAtIndex(F, base + j) - max);
            }
            int label = data.labels()[order[from + r]];
            loss += Math.log(sum) - (z.getAtIndex(F, base + label) - max);
            for (int j = 0; j < c; j++) {
                float p = (float) (Math.exp(z.getAtIndex(F, base + j) - max) / sum);
                d.setAtIndex(F, base + j, ((j == label ? p - 1f : p)) / n);
            }
        }
        return loss / n;
    }

    /** Softmax outputs [count, classes] of the current weights, computed over tiles of rows by all parts. */
    float[] predict(LabeledImages data) {
        int c = s[layers];
        float[] out = new float[data.count() * c];
        int tiles = (data.count() + EVAL_TILE - 1) / EVAL_TILE;
        int widest = 0;
        for (int size : s) {
            widest = Math.max(widest, size);
        }
        int parts = team.size();
        MemorySegment[][] scratch = new MemorySegment[parts][2];
        try (Arena local = Arena.ofShared()) {
            for (int p = 0; p < parts; p++) {
                scratch[p][0] = local.allocate((long) EVAL_TILE * widest * Float.BYTES, 64);
                scratch[p][1] = local.allocate((long) EVAL_TILE * widest * Float.BYTES, 64);
            }
            team.run(part -> {
                for (int t = part; t < tiles; t += parts) {
                    int from = t * EVAL_TILE;
                    int n = Math.min(EVAL_TILE, data.count() - from);
                    MemorySegment x = scratch[part][0];
                    MemorySegment y = scratch[part][1];
                    MemorySegment.copy(data.pixels(), from * s[0], x, ValueLayout.JAVA_FLOAT, 0, n * s[0]);
                    for (int k = 0; k < layers; k++) {
                        blas.sgemm(false, false, n, s[k + 1], s[k], x, s[k], w[k], s[k + 1], 0f, y, s[k + 1]);
                        if (k < layers - 1) {
                            Kernels.relu(y, n, s[k + 1], 0, s[k + 1]);
                        }
                        MemorySegment tmp = x;
                        x = y;
                        y = tmp;
                    }
                    MemorySegment.copy(x, ValueLayout.JAVA_FLOAT, 0, out, from * c, n * c);
                    InferenceForm.softmax(out, from * c, n, c);
                }
            });
        }
        return out;
    }

    /** The weights, Adam's moments and step count, copied out: what a checkpoint keeps. */
    TrainingCheckpoint checkpoint(int epoch, List<org.prunelab.core.model.EpochMetrics> history, double seconds) {
        List<float[]> ms = new ArrayList<>();
        List<float[]> vs = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            ms.add(m[k].toArray(ValueLayout.JAVA_FLOAT));
            vs.add(v[k].toArray(ValueLayout.JAVA_FLOAT));
        }
        return new TrainingCheckpoint(epoch, mlp(), ms, vs, iteration, history, seconds);
    }

    /** Goes on from a checkpoint of a network of the same sizes: its weights, moments and step count. */
    void restore(TrainingCheckpoint c) {
        if (!c.weights().sizes().equals(java.util.Arrays.stream(s).boxed().toList())) {
            throw new IllegalArgumentException("checkpoint of a " + c.weights().sizes() + " network for a "
                    + java.util.Arrays.toString(s) + " one");
        }
        for (int k = 0; k < layers; k++) {
            int n = s[k] * s[k + 1];
            MemorySegment.copy(c.weights().layer(k).weights(), 0, w[k], ValueLayout.JAVA_FLOAT, 0, n);
            MemorySegment.copy(c.m().get(k), 0, m[k], ValueLayout.JAVA_FLOAT, 0, n);
            MemorySegment.copy(c.v().get(k), 0, v[k], ValueLayout.JAVA_FLOAT, 0, n);
        }
        iteration = c.iteration();
    }

    Mlp mlp() {
        List<Layer> out = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            out.add(new Layer(s[k], s[k + 1], w[k].toArray(ValueLayout.JAVA_FLOAT)));
        }
        return new Mlp(out);
    }

    /** The columns [columns(k, p), columns(k, p + 1)) of layer k that part p computes; the output layer is part 0's. */
    private int columns(int k, int part) {
        if (k == layers - 1) {
            return part == 0 ? 0 : s[k + 1];
        }
        return split(s[k + 1], team.size(), part, ALIGN);
    }

    /** Boundary p of n items cut into parts near-equal pieces at multiples of align; small n stays whole. */
    private static int split(int n, int parts, int p, int align) {
        if (p <= 0) {
            return 0;
        }
        if (p >= parts) {
            return n;
        }
        if (align > 1 && n < MIN_SPLIT) {
            return n;
        }
        long cut = (long) n * p / parts;
        return (int) Math.min(n, Math.round((double) cut / align) * align);
    }

    private static MemorySegment at(MemorySegment base, long floats) {
        return base.asSlice(floats * Float.BYTES);
    }

    @Override
    public void close() {
        arena.close();
    }
}
