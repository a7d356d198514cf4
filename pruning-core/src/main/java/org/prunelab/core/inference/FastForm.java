package org.prunelab.core.inference;

import org.prunelab.core.model.Mlp;

/**
 * The forms that make a pruned network fast, as the evaluator builds and names them: {@link #CSR} skips zero weights
 * one by one, {@link #COMPACT} removes dead neurons and runs the smaller network densely.
 */
public enum FastForm {
    CSR("csr", "the CSR sparse form") {
        @Override
        public InferenceForm build(Mlp mlp, int denseBatch, int threads) {
            return new CsrNetwork(mlp); // single-threaded, with its own tile width
        }

        @Override
        public long parameters(Mlp mlp) {
            return mlp.nonZeros();
        }
    },
    COMPACT("compact", "the compacted network") {
        @Override
        public InferenceForm build(Mlp mlp, int denseBatch, int threads) {
            return CompactedNetwork.form(mlp, denseBatch, threads);
        }

        @Override
        public long parameters(Mlp mlp) {
            return CompactedNetwork.compact(mlp).parameters();
        }
    };

    private final String id;
    private final String description;

    FastForm(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name in events and metric tags ({@link InferenceForm#name()} of the built form). */
    public String id() {
        return id;
    }

    /** How the report's sentences name it. */
    public String description() {
        return description;
    }

    /** The form of {@code mlp}; dense-based forms compute {@code denseBatch} rows per call on {@code threads}. */
    public abstract InferenceForm build(Mlp mlp, int denseBatch, int threads);

    /** Weights this form of {@code mlp} holds: the nonzeros in CSR, the smaller network's weights when compacted. */
    public abstract long parameters(Mlp mlp);
}
