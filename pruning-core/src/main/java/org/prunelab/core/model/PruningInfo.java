package org.prunelab.core.model;

import org.prunelab.core.pruning.Method;

/** Where a pruned variant comes from: its parent model, the rule applied and what it reached. */
public record PruningInfo(String parentArtifactId, Method method, double percentage, Sparsity sparsity) {
}
