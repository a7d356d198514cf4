package org.prunelab.runner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;

/** What a watcher has seen of one run so far. */
public final class RunResults {
    private final String runId;
    /** The trained model of each seed, by seed. */
    private final Map<Long, TrainedModelEvent> trained = new java.util.TreeMap<>();
    private final List<TrainingProgress> progress = new ArrayList<>();
    /** By variant key: a redelivered evaluation never adds a row. */
    private final Map<String, EvaluationEvent> evaluations = new LinkedHashMap<>();
    private int evaluationRecords;
    /** Keys whose repeated records differed: a second evaluation of the same variant (must stay empty). */
    private final java.util.Set<String> reevaluated = new java.util.TreeSet<>();
    private final Map<String, String> recordOf = new java.util.HashMap<>();
    private int variantRecords;
    /** Keys of the variants seen on pruned-variants: the ones stored so far. */
    private final java.util.Set<String> variantsStored = new java.util.HashSet<>();
    private int expected = -1;

    public RunResults(String runId) {
        this.runId = runId;
    }

    synchronized void add(TrainedModelEvent e) {
        trained.put(e.seed(), e);
        expected = e.expectedVariants();
    }

    synchronized void add(TrainingProgress p) {
        progress.add(p);
    }

    synchronized void add(EvaluationEvent e, String record) {
        String previous = recordOf.putIfAbsent(e.key(), record);
        if (previous != null && !previous.equals(record)) {
            reevaluated.add(e.key());
        }
        evaluations.putIfAbsent(e.key(), e);
        evaluationRecords++;
        expected = e.expectedVariants();
    }

    /** Counts a pruned-variants record; true the first time its variant is seen. */
    synchronized boolean variantSeen(org.prunelab.core.events.PrunedVariantEvent v) {
        variantRecords++;
        return variantsStored.add(v.key());
    }

    /** Variants stored so far (each once, whatever the repeats). */
    public synchronized int variantsStored() {
        return variantsStored.size();
    }

    /** pruned-variants records seen for this run, repeats included. */
    public synchronized int variantRecords() {
        return variantRecords;
    }

    /** Variants that were evaluated a second time with a different result record; empty when idempotent. */
    public synchronized java.util.Set<String> reevaluated() {
        return java.util.Set.copyOf(reevaluated);
    }

    public String runId() {
        return runId;
    }

    /** The model of the run's first seed (its request's seed, or the only one), once trained; else null. */
    public synchronized TrainedModelEvent trained() {
        for (TrainedModelEvent e : trained.values()) {
            Long first = e.seeds().get(0);
            if (trained.containsKey(first)) {
                return trained.get(first);
            }
        }
        return trained.isEmpty() ? null : trained.values().iterator().next();
    }

    /** Every seed's trained model so far, by seed. */
    public synchronized List<TrainedModelEvent> trainedModels() {
        return List.copyOf(trained.values());
    }

    public synchronized List<TrainingProgress> progress() {
        return List.copyOf(progress);
    }

    /** Evaluations, one per variant, ordered by method, stage, percentage and seed. */
    public synchronized List<EvaluationEvent> evaluations() {
        return evaluations.values().stream()
                .sorted(Comparator.comparing(EvaluationEvent::method).thenComparing(EvaluationEvent::stage)
                        .thenComparingDouble(EvaluationEvent::percentage).thenComparingLong(EvaluationEvent::seed))
                .toList();
    }

    /** Evaluation records received, duplicates included. */
    public synchronized int evaluationRecords() {
        return evaluationRecords;
    }

    /** Variants the run will have, or -1 while unknown. */
    public synchronized int expected() {
        return expected;
    }

    public synchronized boolean complete() {
        return expected > 0 && evaluations.size() >= expected;
    }
}
