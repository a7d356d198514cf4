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

    /** Threads for ND4J's element-wise ops; 1 was fastest for batch-64 training on 2 cores. */
    @WithDefault("1")
    int opsThreads();

    /** Threads for OpenBLAS gemm; 1 was fastest for batch-64 training on 2 cores. */
    @WithDefault("1")
    int blasThreads();

    /** How often, in batches, training progress is logged and counted. */
    @WithDefault("100")
    int batchReportEvery();

    /** How many runs keep their run-tagged metrics exported; older runs' series are removed. */
    @WithDefault("5")
    int metricsMaxRuns();
}
