package org.prunelab.pruner.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** The pruner's settings; each can be set in application.properties or as an environment variable. */
@ConfigMapping(prefix = "pruner")
public interface PrunerConfig {
    /** Directory of the shared artifact store. */
    Path storeDir();
}
