package org.prunelab.support.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges that belong to a run (tagged {@code run}), with the number of runs kept exported bounded: when a run
 * beyond {@code maxRuns} reports its first value, every gauge of the oldest run is removed from the registry. This
 * keeps the tag cardinality Prometheus sees proportional to maxRuns, however long the service lives.
 */
public final class RunGauges {
    private final MeterRegistry registry;
    private final int maxRuns;
    /** Per run, in order of first appearance: the gauges registered for it. */
    private final LinkedHashMap<String, List<Gauge>> runs = new LinkedHashMap<>();
    private final Map<String, AtomicReference<Double>> values = new java.util.HashMap<>();

    public RunGauges(MeterRegistry registry, int maxRuns) {
        this.registry = registry;
        this.maxRuns = Math.max(1, maxRuns);
    }

    /** Sets gauge {@code name} of {@code run} with further tags (key, value pairs) to {@code value}. */
    public synchronized void set(String run, String name, String description, double value, String... tags) {
        Tags all = Tags.of("run", run).and(tags);
        String key = name + all;
        AtomicReference<Double> ref = values.get(key);
        if (ref == null) {
            ref = new AtomicReference<>(value);
            values.put(key, ref);
            AtomicReference<Double> holder = ref;
            Gauge g = Gauge.builder(name, holder, AtomicReference::get).description(description).tags(all)
                    .register(registry);
            runs.computeIfAbsent(run, r -> new ArrayList<>()).add(g);
            evict();
        }
        ref.set(value);
    }

    /** Runs currently exported, oldest first. */
    public synchronized List<String> runs() {
        return List.copyOf(runs.keySet());
    }

    private void evict() {
        while (runs.size() > maxRuns) {
            String oldest = runs.keySet().iterator().next();
            for (Gauge g : runs.remove(oldest)) {
                registry.remove(g);
                values.remove(g.getId().getName() + Tags.of(g.getId().getTags()));
            }
        }
    }
}
