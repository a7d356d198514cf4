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
import org.prunelab.core.events.PrunedRun;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.StudyPlan;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.inference.FastForm;
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
        PrunedVariantEvent v = stored(run, method, p);
        // as the pruner does once all of a run's variants are stored
        new ResultLedger(store.root()).recordIfAbsent(StudyPlan.pruningKey(run, 5), "{}");
        return v;
    }

    private PrunedVariantEvent stored(String run, Method method, double p) {
        Mlp pruned = method.apply(trained, p, 0);
        Sparsity s = Sparsity.of(pruned);
        String id = store.putModel(new ModelArtifact(pruned, manifest().pruned(new PruningInfo(trainedId, method, p, s))));
        return new PrunedVariantEvent(run, trainedId, id, id, "mnist", method, p, s, 5, 2, Stage.ONE_SHOT);
    }

    @Test
    void aRunsOneShotVariantsAreTimedTogetherAndABadOneIsStillRefusedOnItsOwn() throws Exception {
        String run = RUN + "-together";
        PrunedVariantEvent weight = stored(run, Method.WEIGHT, 50);
        PrunedVariantEvent neuron = stored(run, Method.NEURON, 50);
        // listed by the pruner's record, but its artifact is not in the store
        String missing = "0".repeat(64);
        PrunedVariantEvent lost = new PrunedVariantEvent(run, trainedId, missing, missing, "mnist", Method.WEIGHT, 70,
                weight.sparsity(), 5, 3, Stage.ONE_SHOT);
        new ResultLedger(store.root()).recordIfAbsent(StudyPlan.pruningKey(run, 5), Json.write(new PrunedRun(trainedId,
                List.of(Method.WEIGHT, Method.NEURON), List.of(50.0, 70.0), List.of(weight, lost, neuron), null)));
        assertEquals(3, StudyPlan.prunedVariants(new ResultLedger(store.root()), run, 5).size());
        // the first one delivered times the run's two good variants together; the lost one is left out of the block
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(neuron)));
        assertRefused(connector, Topics.PRUNED_VARIANTS, Json.write(lost), missing);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(weight)));
        assertEquals(2, evaluations.received().size());
        for (int i = 0; i < 2; i++) {
            EvaluationEvent e = Json.read(evaluations.received().get(i).getPayload(), EvaluationEvent.class);
            assertEquals(i == 0 ? neuron.key() : weight.key(), e.key());
            assertEquals(List.of(1, 2), e.timings().stream().map(t -> t.threads()).toList());
            for (var t : e.timings()) {
                assertTrue(t.dense().wallMedianMs() > 0 && t.fast().wallMedianMs() > 0 && t.speedup() > 0, e.toString());
                assertEquals(t.threads(), t.fast().threads());
            }
        }
    }

    @Test
    void nothingIsTimedBeforeTheRunsTrainingAndPruningAreRecorded() throws Exception {
        String run = RUN + "-settle";
        // the run's plan: its model and one fine-tuning to train, besides the pruning
        ResultLedger ledger = new ResultLedger(store.root());
        TrainingRequest plan = Json.read("{\"runId\":\"" + run + "\",\"seed\":5,\"methods\":[\"weight\"],"
                + "\"percentages\":[50],\"fineTuneEpochs\":1}", TrainingRequest.class).complete();
        ledger.recordIfAbsent(StudyPlan.planKey(run), Json.write(plan));
        Mlp pruned = Method.WEIGHT.apply(trained, 50, 0);
        Sparsity s = Sparsity.of(pruned);
        String id = store.putModel(new ModelArtifact(pruned, manifest().pruned(new PruningInfo(trainedId,
                Method.WEIGHT, 50, s))));
        PrunedVariantEvent v = new PrunedVariantEvent(run, trainedId, id, id, "mnist", Method.WEIGHT, 50, s, 5, 2,
                Stage.ONE_SHOT);
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger before = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread pruner = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ledger.recordIfAbsent(StudyPlan.pruningKey(run, 5), "{}");
            ledger.recordIfAbsent(StudyPlan.jobKey(TrainingJob.modelKey(run, 5)), "{}");
            try {
                Thread.sleep(1500); // pruned, but the fine-tuning still trains
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            before.set(evaluations.received().size());
            ledger.recordIfAbsent(StudyPlan.jobKey(PrunedVariantEvent.key(run, 5, Method.WEIGHT, 50,
                    Stage.FINE_TUNED)), "{}");
        });
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(v)));
        pruner.join();
        assertEquals(0, before.get(), "evaluated before the fine-tuning was recorded");
        assertEquals(1, evaluations.received().size());
        assertTrue(System.nanoTime() - start >= 3_000_000_000L, "waited for the pruning and training records");
    }

    @Test
    void fineTunedAndFromScratchVariantsAreCheckedAgainstWhatTheirArtifactsSay() throws Exception {
        String run = RUN + "-kinds";
        ledgerSettled(run);
        Mlp pruned = Method.WEIGHT.apply(trained, 50, 0);
        Sparsity s = Sparsity.of(pruned);
        PruningInfo info = new PruningInfo(trainedId, Method.WEIGHT, 50, s);
        String prunedId = store.putModel(new ModelArtifact(pruned, manifest().pruned(info)));
        String tunedId = store.putModel(new ModelArtifact(pruned, manifest().pruned(info)
                .fineTuned(new TrainingConfig("mnist", List.of(24, 16), 1, 64, 1e-3, 5, 600), List.of())));
        PrunedVariantEvent tuned = new PrunedVariantEvent(run, trainedId, tunedId, tunedId, "mnist", Method.WEIGHT,
                50, s, 5, 4, Stage.FINE_TUNED);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(tuned)));
        EvaluationEvent e = Json.read(evaluations.received().get(0).getPayload(), EvaluationEvent.class);
        assertEquals(Stage.FINE_TUNED, e.stage());
        assertEquals(run + "/s5/weight/50/fine-tuned", e.key());
        // the one-shot artifact announced as fine-tuned (or the reverse) is refused
        assertRefused(connector, Topics.PRUNED_VARIANTS, Json.write(new PrunedVariantEvent(run, trainedId, prunedId,
                prunedId, "mnist", Method.WEIGHT, 60, s, 5, 4, Stage.FINE_TUNED)), "is not the fine-tuned weight");

        // a from-scratch network names no parent: its run, seed and percentage are checked
        Mlp small = Networks.gaussian(6, 0.05, 784, 12, 8, 10);
        TrainingConfig cfg = new TrainingConfig("mnist", List.of(12, 8), 1, 64, 1e-3, 5, 600);
        String scratchId = store.putModel(new ModelArtifact(small, ModelManifest.trained(run, small, cfg, List.of())
                .asScratchBaselineOf(new PruningInfo(null, Method.SCRATCH, 50, Sparsity.of(small)))));
        PrunedVariantEvent scratch = new PrunedVariantEvent(run, trainedId, scratchId, scratchId, "mnist",
                Method.SCRATCH, 50, Sparsity.of(small), 5, 4, Stage.ONE_SHOT);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(scratch)));
        assertEquals(2, evaluations.received().size());
        assertRefused(connector, Topics.PRUNED_VARIANTS, Json.write(scratch).replace("\"seed\":5", "\"seed\":6"),
                "is not the one-shot scratch 50.0% variant");
    }

    /** As the pruner does once a run's (seed 5's) variants are stored. */
    private void ledgerSettled(String run) {
        new ResultLedger(store.root()).recordIfAbsent(StudyPlan.pruningKey(run, 5), "{}");
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
        // the CSR form holds the nonzeros between neurons that can change the outputs (FastFormsTest counts them)
        assertEquals(FastForm.CSR.parameters(method(weight)), w.fastParameters());
        assertTrue(w.fastParameters() <= method(weight).nonZeros());
        assertEquals("compact", n.fastForm());
        assertEquals(CompactedNetwork.compact(method(neuron)).parameters(), n.fastParameters());
        // global pruning's variants are evaluated in the CSR form too
        PrunedVariantEvent global = variant(RUN, Method.GLOBAL, 80);
        assertNull(deliver(connector, Topics.PRUNED_VARIANTS, Json.write(global)));
        EvaluationEvent g = Json.read(evaluations.received().get(2).getPayload(), EvaluationEvent.class);
        assertEquals("csr", g.fastForm());
        assertEquals(FastForm.CSR.parameters(method(global)), g.fastParameters());
        assertTrue(g.fastParameters() < method(global).nonZeros(), "at 80 % some neurons of this network are dead");
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
        assertRefused(connector, Topics.PRUNED_VARIANTS, good.replace("\"percentage\":50.0", "\"percentage\":60.0"), "is not the one-shot weight 60.0% variant");
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
