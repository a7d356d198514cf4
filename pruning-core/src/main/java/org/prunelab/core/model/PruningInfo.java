package org.prunelab.core.model;

/** Where a pruned variant comes from: its parent model, the rule applied and what it reached. */
public record PruningInfo(String parentArtifactId, String method, double percentage, Sparsity sparsity) {
}
