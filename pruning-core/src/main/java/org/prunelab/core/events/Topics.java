package org.prunelab.core.events;

/** Default Kafka topic names; services map channels to them in application.properties. */
public final class Topics {
    public static final String TRAINING_REQUESTS = "training-requests";
    public static final String TRAINING_JOBS = "training-jobs";
    public static final String TRAINING_PROGRESS = "training-progress";
    public static final String TRAINED_MODELS = "trained-models";
    public static final String PRUNE_REQUESTS = "prune-requests";
    public static final String PRUNED_VARIANTS = "pruned-variants";
    public static final String EVALUATIONS = "evaluations";
    public static final String DEAD_LETTERS = "dead-letters";

    private Topics() {
    }
}
