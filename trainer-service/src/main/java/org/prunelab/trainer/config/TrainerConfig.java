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
     * Threads one job's training uses: the gemm engine's team (2 uses both cores of this project's machines: 6.1 s
     * per MNIST epoch against 11 s on one), or ND4J's native threads for dl4j (where 1 was fastest on 2 cores). With
     * N trainers on one machine, cores / N each (bin/run sets it).
     */
    @WithDefault("2")
    int threads();

    /**
     * How long a job's lease lives without being renewed before another trainer takes the job over (its holder
     * renews it four times as often while it trains): the time a killed trainer's job waits when another trainer
     * was already handed its record.
     */
    @WithDefault("20s")
    java.time.Duration leaseTimeout();

    /** How often, in batches, training progress is logged and counted. */
    @WithDefault("100")
    int batchReportEvery();

    /** How many runs keep their run-tagged metrics exported; older runs' series are removed. */
    @WithDefault("5")
    int metricsMaxRuns();
}
