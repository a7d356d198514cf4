package org.prunelab.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunelab.support.testing.Deliveries.assertRefused;
import static org.prunelab.support.testing.Deliveries.deliver;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prunelab.core.Json;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.store.ResultLedger;
import org.prunelab.evaluator.config.EvaluatorConfig;
import org.prunelab.support.testing.Networks;

/** The evaluator on SmallRye's in-memory connector: a variant in, one checked and timed evaluation out, once. */
@QuarkusTest
class EvaluatorServiceTest {
    private static final String RUN = "evaluator-test-" + System.nanoTime();

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    EvaluatorConfig config;

    @Inject
    MeterRegistry registry;

    private InMemorySink<String> evaluations;
    private ArtifactStore store;
    private Mlp trained;
    private String trainedId;

    @BeforeEach
    void setUp() {
        evaluations = connector.sink(Topics.EVALUATIONS);
        evaluations.clear();
        store = new ArtifactStore(config.storeDir());
        trained = Networks.gaussian(5, 0.05, 784, 24, 16, 10);
        trainedId = store.putModel(new ModelArtifact(trained, manifest()));
    }

    private ModelManifest manifest() {
        return ModelManifest.trained(RUN, trained, new TrainingConfig("mnist", List.of(24, 16), 1, 64, 1e-3, 5, 600),
                List.of());
    }

    /** A variant of the trained model stored as the pruner stores it, and the event announcing it. */
    private PrunedVariantEvent variant(String run, Method method, double p) {
        Mlp pruned = method.apply(trained, p, 0);
        Sparsity s = Sparsity.of(pruned);
        String id = store.putModel(new ModelArtifact(pruned, manifest().pruned(new PruningInfo(trainedId, method, p, s))));
        // as the pruner does once all of a run's variants are stored
        new ResultLedger(store.root()).recordIfAbsent(ResultLedger.pruningKey(run), "{}");
        return new PrunedVariantEvent(run, trainedId, id, id, "mnist", method, p, s, 5, 2);
    }

    @Test
    void nothingIsTimedBeforeTheRunsPruningIsRecorded() throws Exception {
        String run = RUN + "-settle";
        Mlp pruned = Method.WEIGHT.apply(trained, 50, 0);
        Sparsity s = Sparsity.of(pruned);
        String id = store.putModel(new ModelArtifact(pruned, manifest().pruned(new PruningInfo(trainedId,
                Method.WEIGHT, 50, s))));
        PrunedVariantEvent v = new PrunedVariantEvent(run, trainedId, id, id, "mnist", Method.WEIGHT, 50, s, 5, 1);
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger before = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread pruner = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            before.set(evaluations.received().size());
            new ResultLedger(store.root()).recordIfAbsent(ResultLedger.pruningKey(run), "{}");
        });
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(v)));
        pruner.join();
        assertEquals(0, before.get(), "evaluated before the pruning was recorded");
        assertEquals(1, evaluations.received().size());
        assertTrue(System.nanoTime() - start >= 1_500_000_000L, "waited for the pruning record");
    }

    @Test
    void eachMethodIsEvaluatedInItsFastFormCheckedAgainstDenseAndOnlyOnce() throws Exception {
        PrunedVariantEvent weight = variant(RUN, Method.WEIGHT, 50);
        PrunedVariantEvent neuron = variant(RUN, Method.NEURON, 50);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(weight)), "acknowledged");
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(neuron)));
        assertEquals(2, evaluations.received().size());
        EvaluationEvent w = Json.read(evaluations.received().get(0).getPayload(), EvaluationEvent.class);
        EvaluationEvent n = Json.read(evaluations.received().get(1).getPayload(), EvaluationEvent.class);
        assertEquals(weight.key(), w.key());
        assertEquals("csr", w.fastForm());
        assertEquals(method(weight).nonZeros(), w.fastParameters());
        assertEquals("compact", n.fastForm());
        assertEquals(CompactedNetwork.compact(method(neuron)).parameters(), n.fastParameters());
        // global pruning's variants are evaluated in the CSR form too
        PrunedVariantEvent global = variant(RUN, Method.GLOBAL, 80);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(global)));
        EvaluationEvent g = Json.read(evaluations.received().get(2).getPayload(), EvaluationEvent.class);
        assertEquals("csr", g.fastForm());
        assertEquals(method(global).nonZeros(), g.fastParameters());
        // the fast forms are in the store to take away: a CSR matrix per layer, one compacted network
        assertEquals(3, w.fastArtifacts().size());
        assertEquals(1, n.fastArtifacts().size());
        w.fastArtifacts().forEach(id -> assertTrue(store.contains(id), id));
        n.fastArtifacts().forEach(id -> assertTrue(store.contains(id), id));
        for (EvaluationEvent e : List.of(w, n, g)) {
            assertTrue(e.fastMaxAbsDiff() < 1e-4, "fast form checked against dense: " + e.fastMaxAbsDiff());
            assertTrue(e.testAccuracy() >= 0 && e.testAccuracy() <= 1 && e.testLoss() > 0, e.toString());
            // timed at each configured thread count (1 and 2 by default), both forms on the same count
            assertEquals(List.of(1, 2), e.timings().stream().map(t -> t.threads()).toList());
            for (var t : e.timings()) {
                assertTrue(t.dense().wallMedianMs() > 0 && t.fast().wallMedianMs() > 0, e.toString());
                assertEquals(1, t.dense().repetitions());
                assertEquals(t.threads(), t.dense().threads());
                assertEquals(t.threads(), t.fast().threads());
            }
        }
        double evaluated = count("evaluator_evaluations");

        // a redelivery is answered with the recorded result, not evaluated again
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(weight)));
        assertEquals(4, evaluations.received().size());
        assertEquals(evaluations.received().get(0).getPayload(), evaluations.received().get(3).getPayload());
        assertEquals(evaluated, count("evaluator_evaluations"));
        assertTrue(count("evaluator_duplicates_skipped") >= 1);
    }

    @Test
    void badVariantsAreNackedWithTheirReason() throws Exception {
        String good = Json.write(variant(RUN + "-bad", Method.WEIGHT, 50));
        assertRefused(connector, Topics.PRUNED_VARIANTS, good.replace("\"percentage\":50.0", "\"percentage\":60.0"), "is not the weight 60.0% variant");
        assertRefused(connector, Topics.PRUNED_VARIANTS, good.replace("\"method\":\"weight\"", "\"method\":\"magic\""), "unknown pruning method 'magic'");
        assertRefused(connector, Topics.PRUNED_VARIANTS, good.replace("\"percentage\":50.0", "\"percentage\":120.0"), "must be in [0, 100)");
        assertRefused(connector, Topics.PRUNED_VARIANTS, good.replace("\"dataset\":\"mnist\"", "\"dataset\":\"imagenet\""), "unknown dataset");
        assertRefused(connector, Topics.PRUNED_VARIANTS, "{\"runId\":\"x\",\"percentage\":50,\"seed\":1,\"expectedVariants\":1}", "are required");
        assertRefused(connector, Topics.PRUNED_VARIANTS, "[]", "invalid PrunedVariantEvent JSON");
        assertEquals(0, evaluations.received().size());
    }

    private Mlp method(PrunedVariantEvent v) {
        return store.getModel(v.variantId()).mlp();
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
