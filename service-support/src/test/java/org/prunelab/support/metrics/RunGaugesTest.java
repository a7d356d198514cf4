package org.prunelab.support.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunGaugesTest {

    @Test
    void keepsTheLastRunsOnlyAndUpdatesValuesInPlace() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunGauges gauges = new RunGauges(registry, 2);
        gauges.set("r1", "pruning_test_accuracy_ratio", "acc", 0.9, "method", "weight", "percentage", "50");
        gauges.set("r1", "pruning_test_accuracy_ratio", "acc", 0.8, "method", "weight", "percentage", "50");
        gauges.set("r2", "pruning_test_accuracy_ratio", "acc", 0.7, "method", "weight", "percentage", "50");
        assertEquals(0.8, registry.get("pruning_test_accuracy_ratio").tag("run", "r1").gauge().value());
        assertEquals(2, registry.getMeters().size());

        gauges.set("r3", "pruning_test_accuracy_ratio", "acc", 0.6, "method", "neuron", "percentage", "90");
        assertEquals(List.of("r2", "r3"), gauges.runs());
        assertNull(registry.find("pruning_test_accuracy_ratio").tag("run", "r1").gauge(), "oldest run removed");
        assertEquals(2, registry.getMeters().size());
        // a run that was evicted and reports again comes back as a new run
        gauges.set("r1", "pruning_test_accuracy_ratio", "acc", 0.5, "method", "weight", "percentage", "50");
        assertEquals(0.5, registry.get("pruning_test_accuracy_ratio").tag("run", "r1").gauge().value());
        assertEquals(List.of("r3", "r1"), gauges.runs());
    }
}
