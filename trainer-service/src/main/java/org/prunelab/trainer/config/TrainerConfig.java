package org.prunelab.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The trainer's settings; each can be set in application.properties or as an environment variable. */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {
    /** Directory holding the IDX datasets (scripts/setup-datasets.sh installs them). */
    Path dataDir();

    /** Directory of the shared artifact store. */
    Path storeDir();

    /** The training engine: gemm (the default, OpenBLAS and vectorised Java) or dl4j (the reference). */
    @WithDefault("gemm")
    String engine();

    /**
     * Threads training uses: the gemm engine's team (2 uses both cores of this project's machines: 6.1 s per MNIST
     * epoch against 11 s on one), or ND4J's native threads for dl4j (where 1 was fastest on 2 cores).
     */
    @WithDefault("2")
    int threads();

    /**
     * From-scratch networks trained side by side, each with threads / lanes threads: the small ones cannot use two
     * cores in one training. Measured (MNIST epoch, 2 threads): the nine networks took 1.74x the model's time one
     * after another, 1.21x on two lanes.
     */
    @WithDefault("2")
    int lanes();

    /** How often, in batches, training progress is logged and counted. */
    @WithDefault("100")
    int batchReportEvery();

    /** How many runs keep their run-tagged metrics exported; older runs' series are removed. */
    @WithDefault("5")
    int metricsMaxRuns();
}
