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
    private TrainedModelEvent trained;
    private final List<TrainingProgress> progress = new ArrayList<>();
    /** By variant key: a redelivered evaluation replaces, never adds. */
    private final Map<String, EvaluationEvent> evaluations = new LinkedHashMap<>();
    private int evaluationRecords;
    private int expected = -1;

    public RunResults(String runId) {
        this.runId = runId;
    }

    synchronized void add(TrainedModelEvent e) {
        trained = e;
        expected = e.methods().size() * e.percentages().size();
    }

    synchronized void add(TrainingProgress p) {
        progress.add(p);
    }

    synchronized void add(EvaluationEvent e) {
        evaluations.put(e.key(), e);
        evaluationRecords++;
        expected = e.expectedVariants();
    }

    public String runId() {
        return runId;
    }

    public synchronized TrainedModelEvent trained() {
        return trained;
    }

    public synchronized List<TrainingProgress> progress() {
        return List.copyOf(progress);
    }

    /** Evaluations, one per variant, ordered by method then percentage. */
    public synchronized List<EvaluationEvent> evaluations() {
        return evaluations.values().stream()
                .sorted(Comparator.comparing(EvaluationEvent::method).reversed()
                        .thenComparingDouble(EvaluationEvent::percentage))
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
