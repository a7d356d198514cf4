package org.prunelab.core.training;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/**
 * What runs the training steps. Both engines do the same mathematics (see {@link Dl4jNetworks}); they differ in
 * speed and in where the initial weights come from.
 */
public enum TrainingEngine {
    /**
     * OpenBLAS gemm on native buffers, element-wise work in vectorised Java, the work split by columns over a team
     * of threads ({@link GemmNetwork}). Xavier-uniform initial weights from {@link #xavier}.
     */
    GEMM("gemm"),
    /** DL4J's MultiLayerNetwork, the project's first engine, kept as the reference; Xavier-uniform from ND4J's RNG. */
    DL4J("dl4j");

    private static final java.util.concurrent.atomic.AtomicBoolean FALLBACK_NOTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final String id;

    TrainingEngine(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TrainingEngine of(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equalsIgnoreCase(id.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown training engine '" + id + "'; known: "
                        + Arrays.stream(values()).map(TrainingEngine::id).collect(Collectors.joining(", "))));
    }

    /**
     * A session training a network of these sizes from {@code seed}'s initial weights.
     *
     * @param threads the team size (GEMM) or ND4J's native threads (DL4J)
     */
    Session open(List<Integer> sizes, int batch, double learningRate, long seed, int threads) {
        if (this == GEMM && Blas.unavailable() != null) {
            // the clean fallback: the same mathematics, slower (see bin/benchmark-training); said once per process
            if (!FALLBACK_NOTED.getAndSet(true)) {
                System.err.println("training engine gemm unavailable (" + Blas.unavailable() + "); training with dl4j");
            }
            return DL4J.open(sizes, batch, learningRate, seed, threads);
        }
        return switch (this) {
            case GEMM -> gemm(xavier(sizes, seed), null, batch, learningRate, threads);
            case DL4J -> {
                NativeThreads.configure(threads, threads);
                yield new Dl4jSession(Dl4jNetworks.create(sizes, learningRate, seed));
            }
        };
    }

    static Session gemm(Mlp initial, List<float[]> masks, int batch, double learningRate, int threads) {
        Blas.standard().threads(1);
        Team team = new Team(threads);
        GemmNetwork net = new GemmNetwork(initial, masks, batch, learningRate, team);
        return new Session() {
            @Override
            public double step(LabeledImages data, int[] order, int from, int to) {
                return net.step(data, order, from, to);
            }

            @Override
            public Evaluation evaluate(LabeledImages test) {
                return Evaluation.ofOutputs(net.predict(test), test);
            }

            @Override
            public Mlp mlp() {
                return net.mlp();
            }

            @Override
            public TrainingCheckpoint checkpoint(int epoch, List<org.prunelab.core.model.EpochMetrics> history,
                                                 double seconds) {
                return net.checkpoint(epoch, history, seconds);
            }

            @Override
            public boolean restore(TrainingCheckpoint c) {
                net.restore(c);
                return true;
            }

            @Override
            public void close() {
                net.close();
                team.close();
            }
        };
    }

    /** Xavier (Glorot) uniform weights, U(-sqrt(6 / (in + out)), +sqrt(6 / (in + out))), drawn in layer order. */
    public static Mlp xavier(List<Integer> sizes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> layers = new java.util.ArrayList<>();
        for (int k = 0; k + 1 < sizes.size(); k++) {
            int in = sizes.get(k);
            int out = sizes.get(k + 1);
            double limit = Math.sqrt(6.0 / (in + out));
            float[] w = new float[in * out];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) rnd.nextDouble(-limit, limit);
            }
            layers.add(new Layer(in, out, w));
        }
        return new Mlp(layers);
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }

    /** One network being trained. */
    interface Session extends AutoCloseable {
        /** One optimiser step on the examples order[from, to); the batch's mean loss before the step. */
        double step(LabeledImages data, int[] order, int from, int to);

        Evaluation evaluate(LabeledImages test);

        Mlp mlp();

        /** Where the training stands after {@code epoch}; null when the engine cannot resume (DL4J). */
        default TrainingCheckpoint checkpoint(int epoch, List<org.prunelab.core.model.EpochMetrics> history,
                                              double seconds) {
            return null;
        }

        /** Goes on from a checkpoint; false when the engine cannot (then it starts afresh). */
        default boolean restore(TrainingCheckpoint c) {
            return false;
        }

        @Override
        void close();
    }

    private record Dl4jSession(MultiLayerNetwork net) implements Session {
        @Override
        public double step(LabeledImages data, int[] order, int from, int to) {
            net.fit(new DataSet(Batches.features(data, order, from, to), Batches.oneHot(data, order, from, to)));
            return net.score();
        }

        @Override
        public Evaluation evaluate(LabeledImages test) {
            return Evaluation.of(net, test);
        }

        @Override
        public Mlp mlp() {
            return Dl4jNetworks.toMlp(net);
        }

        @Override
        public void close() {
        }
    }
}
