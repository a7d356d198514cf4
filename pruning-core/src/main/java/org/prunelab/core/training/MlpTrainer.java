package org.prunelab.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.TrainingConfig;

/**
 * Trains the study's MLP with a {@link TrainingEngine} and reports test loss and accuracy after every epoch. The loop
 * (shuffle, batches, progress, evaluation) is the engines' common part.
 */
public final class MlpTrainer {

    /** Told about every finished epoch, and every {@code batchReportEvery} batches within one. */
    public interface Progress {
        default void batches(int epoch, int done, int total) {
        }

        default void epoch(EpochMetrics metrics) {
        }

        /** The training goes on from a checkpoint saved after {@code epoch}. */
        default void resumed(int epoch) {
        }
    }

    public record Result(Mlp mlp, List<EpochMetrics> history, double secondsPerEpoch) {
        public EpochMetrics last() {
            return history.get(history.size() - 1);
        }
    }

    private final int batchReportEvery;
    private final TrainingEngine engine;
    private final int threads;

    /** The default engine ({@link TrainingEngine#GEMM}) on one thread. */
    public MlpTrainer(int batchReportEvery) {
        this(batchReportEvery, TrainingEngine.GEMM, 1);
    }

    public MlpTrainer(int batchReportEvery, TrainingEngine engine, int threads) {
        this.batchReportEvery = Math.max(1, batchReportEvery);
        this.engine = engine;
        this.threads = Math.max(1, threads);
    }

    public Result train(TrainingConfig config, LabeledImages train, LabeledImages test, Progress progress) {
        return train(config, train, test, progress, TrainingCheckpoint.Keeper.NONE);
    }

    /**
     * Trains from the seed's initial weights, or goes on from the keeper's last checkpoint, saving one after every
     * epoch: a training stopped half-way and started again with the same keeper ends with the same weights as one
     * that never stopped.
     */
    public Result train(TrainingConfig config, LabeledImages train, LabeledImages test, Progress progress,
                        TrainingCheckpoint.Keeper checkpoints) {
        LabeledImages data = data(config, train);
        try (TrainingEngine.Session session = engine.open(config.layerSizes(data.features(), data.classes()),
                config.batchSize(), config.learningRate(), config.seed(), threads)) {
            return train(session, config, data, test, progress, checkpoints);
        }
    }

    /**
     * Trains {@code initial} further with its masks fixed: a weight whose mask entry is 0 is zero and stays exactly
     * zero (its gradient is masked before Adam sees it). This is fine-tuning of a pruned network (masks from
     * {@link #pruningMasks}) and, from rewound weights, a lottery-ticket round. {@code config} gives the epochs,
     * learning rate, batch, shuffle seed and data limit; its hidden sizes must be the network's. The gemm engine only
     * (DL4J has no masked step).
     *
     * @param masks per layer, 0/1 of the layer's size, or null entries (or a null list) for layers trained whole
     */
    public Result train(Mlp initial, List<float[]> masks, TrainingConfig config, LabeledImages train,
                        LabeledImages test, Progress progress) {
        return train(initial, masks, config, train, test, progress, TrainingCheckpoint.Keeper.NONE);
    }

    /** As above, going on from the keeper's last checkpoint if there is one, and saving one after every epoch. */
    public Result train(Mlp initial, List<float[]> masks, TrainingConfig config, LabeledImages train,
                        LabeledImages test, Progress progress, TrainingCheckpoint.Keeper checkpoints) {
        LabeledImages data = data(config, train);
        List<Integer> sizes = initial.sizes();
        if (!sizes.equals(config.layerSizes(data.features(), data.classes()))) {
            throw new IllegalArgumentException("network " + sizes + " does not fit the configuration's hidden sizes "
                    + config.hiddenSizes() + " on " + data.features() + " inputs and " + data.classes() + " classes");
        }
        if (masks != null) {
            if (masks.size() != initial.layers().size()) {
                throw new IllegalArgumentException(masks.size() + " masks for " + initial.layers().size() + " layers");
            }
            for (int k = 0; k < masks.size(); k++) {
                if (masks.get(k) != null && masks.get(k).length != initial.layer(k).weights().length) {
                    throw new IllegalArgumentException("mask " + k + " has " + masks.get(k).length + " entries for "
                            + initial.layer(k).weights().length + " weights");
                }
            }
        }
        if (engine != TrainingEngine.GEMM) {
            throw new IllegalArgumentException("training from given weights with masks needs the gemm engine, not "
                    + engine.id());
        }
        try (TrainingEngine.Session session = TrainingEngine.gemm(initial, masks, config.batchSize(),
                config.learningRate(), threads)) {
            return train(session, config, data, test, progress, checkpoints);
        }
    }

    /**
     * The masks that keep a pruned network pruned: 1 where a hidden layer's weight is nonzero, 0 where it is zero;
     * none for the output layer, which pruning never touches.
     */
    public static List<float[]> pruningMasks(Mlp pruned) {
        List<float[]> masks = new ArrayList<>();
        int last = pruned.layers().size() - 1;
        for (int k = 0; k <= last; k++) {
            if (k == last) {
                masks.add(null);
                continue;
            }
            float[] w = pruned.layer(k).weights();
            float[] m = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                m[i] = w[i] != 0f ? 1f : 0f;
            }
            masks.add(m);
        }
        return masks;
    }

    /**
     * The weights a lottery ticket is rewound to: {@code config.seed()}'s initial weights, after {@code iterations}
     * iterations of the dense training with this configuration (the same shuffle and batches, so the same weights the
     * model had then, at the same thread count). The gemm engine only.
     */
    public Mlp rewindPoint(TrainingConfig config, LabeledImages train, long iterations) {
        LabeledImages data = data(config, train);
        Mlp initial = TrainingEngine.xavier(config.layerSizes(data.features(), data.classes()), config.seed());
        if (iterations == 0) {
            return initial;
        }
        if (engine != TrainingEngine.GEMM) {
            throw new IllegalArgumentException("late rewinding needs the gemm engine, not " + engine.id());
        }
        try (TrainingEngine.Session net = TrainingEngine.gemm(initial, null, config.batchSize(),
                config.learningRate(), threads)) {
            Random shuffle = new Random(config.seed());
            int[] order = Batches.identity(data.count());
            long done = 0;
            while (done < iterations) {
                shuffle(order, shuffle);
                for (int from = 0; from < data.count() && done < iterations; from += config.batchSize(), done++) {
                    net.step(data, order, from, Math.min(from + config.batchSize(), data.count()));
                }
            }
            return net.mlp();
        }
    }

    /** The training images the configuration uses (its limit applied), once it is checked against them. */
    private static LabeledImages data(TrainingConfig config, LabeledImages train) {
        LabeledImages data = config.trainLimit() > 0 ? train.head(config.trainLimit()) : train;
        config.validate(data.features(), data.classes());
        return data;
    }

    private Result train(TrainingEngine.Session net, TrainingConfig config, LabeledImages data, LabeledImages test,
                         Progress progress, TrainingCheckpoint.Keeper checkpoints) {

        // the shuffle has its own generator from the same seed, so a run is reproducible end to end
        Random shuffle = new Random(config.seed());
        int[] order = Batches.identity(data.count());
        int batches = (data.count() + config.batchSize() - 1) / config.batchSize();
        List<EpochMetrics> history = new ArrayList<>();
        double trainingSeconds = 0;
        int first = 1;
        var resume = checkpoints.latest().filter(c -> c.epoch() <= config.epochs());
        if (resume.isPresent() && net.restore(resume.get())) {
            TrainingCheckpoint c = resume.get();
            for (int e = 1; e <= c.epoch(); e++) {
                shuffle(order, shuffle); // the epochs done drew these orders: the next draws as if never stopped
            }
            history.addAll(c.history());
            trainingSeconds = c.seconds();
            first = c.epoch() + 1;
            progress.resumed(c.epoch());
        }
        for (int epoch = first; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, shuffle);
            double lossSum = 0;
            List<EpochMetrics.TestPoint> tests = new ArrayList<>();
            long testNanos = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * config.batchSize();
                int to = Math.min(from + config.batchSize(), data.count());
                lossSum += net.step(data, order, from, to) * (to - from);
                long iteration = (long) (epoch - 1) * batches + b + 1;
                if (config.testEvery() > 0 && iteration % config.testEvery() == 0 && b + 1 < batches) {
                    // the epoch's end is tested below; the test passes are not training time
                    long t = System.nanoTime();
                    Evaluation e = net.evaluate(test);
                    tests.add(new EpochMetrics.TestPoint(iteration, e.loss(), e.accuracy()));
                    testNanos += System.nanoTime() - t;
                }
                if ((b + 1) % batchReportEvery == 0 || b + 1 == batches) {
                    progress.batches(epoch, b + 1, batches);
                }
            }
            double seconds = (System.nanoTime() - start - testNanos) / 1e9;
            trainingSeconds += seconds;
            Evaluation eval = net.evaluate(test);
            EpochMetrics m = new EpochMetrics(epoch, lossSum / data.count(), eval.loss(), eval.accuracy(), seconds,
                    (long) epoch * batches, tests);
            history.add(m);
            // none after the last epoch (the result itself is recorded next), none copied out for no keeper
            TrainingCheckpoint c = epoch < config.epochs() && checkpoints != TrainingCheckpoint.Keeper.NONE
                    ? net.checkpoint(epoch, history, trainingSeconds) : null;
            if (c != null) {
                checkpoints.save(c);
            }
            progress.epoch(m);
        }
        return new Result(net.mlp(), history, trainingSeconds / config.epochs());
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
