package org.prunelab.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.prunelab.core.inference.TimingPolicy;

/** The evaluator's settings; each can be set in application.properties or as an environment variable. */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {
    Path dataDir();

    Path storeDir();

    /**
     * Batch sizes the dense and compacted forms are tried at; each network shape is timed at the fastest of them
     * (one value: that batch, no trial). Unset: {@link org.prunelab.core.inference.DenseSetting#BATCHES}.
     */
    Optional<List<Integer>> denseBatches();

    /** Passes over the test set before timing starts; unset: {@link TimingPolicy#STUDY}'s. */
    Optional<Integer> warmups();

    /** Timed passes over the test set at least, the median reported; unset: {@link TimingPolicy#STUDY}'s. */
    Optional<Integer> repetitions();

    /**
     * Timed passes at most at one thread, where the medians are not yet known within {@link #precision()} (at more
     * threads the passes past the fewest may go on that many times as long: {@link TimingPolicy#mostPairs}); unset:
     * {@link TimingPolicy#STUDY}'s (or {@link #repetitions()}, if that is more).
     */
    Optional<Integer> maxRepetitions();

    /**
     * Paired timing stops adding passes once every median is known within this fraction of itself (0: never early);
     * unset: {@link TimingPolicy#STUDY}'s.
     */
    Optional<Double> precision();

    /**
     * Thread counts every variant is timed at, dense and fast form alike (each form uses them its fastest way: batch
     * tiles or OpenBLAS's own threads). The first is the study's own figure.
     */
    @WithDefault("1,2")
    List<Integer> threads();

    /** Use only the first N test images for timing (0 = all); accuracy always uses the whole test set. */
    @WithDefault("0")
    int timingLimit();

    /**
     * How long a variant waits for its run's training and pruning to finish before it is timed anyway (trainers and
     * pruner share the CPU until then): long enough for a study with seeds and fine-tuning.
     */
    @WithDefault("2h")
    java.time.Duration settleTimeout();

    /** Largest tolerated |fast - dense| in any output. */
    @WithDefault("1e-4")
    double tolerance();

    /** How many runs keep their run-tagged metrics exported; older runs' series are removed. */
    @WithDefault("5")
    int metricsMaxRuns();
}
