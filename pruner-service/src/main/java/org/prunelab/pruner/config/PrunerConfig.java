package org.prunelab.pruner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The pruner's settings; each can be set in application.properties or as an environment variable. */
@ConfigMapping(prefix = "pruner")
public interface PrunerConfig {
    /** Directory of the shared artifact store. */
    Path storeDir();

    /** How many runs keep their run-tagged metrics exported; older runs' series are removed. */
    @WithDefault("5")
    int metricsMaxRuns();
}
