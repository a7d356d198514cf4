package org.prunelab.pruner;

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
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prunelab.core.Json;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.pruner.config.PrunerConfig;
import org.prunelab.support.testing.Networks;

/** The pruner on SmallRye's in-memory connector: a trained model in, one variant per method and percentage out. */
@QuarkusTest
class PrunerServiceTest {
    private static final String RUN = "pruner-test-" + System.nanoTime();

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    PrunerConfig config;

    @Inject
    MeterRegistry registry;

    private InMemorySink<String> variants;

    @BeforeEach
    void sink() {
        variants = connector.sink(Topics.PRUNED_VARIANTS);
        variants.clear();
    }

    @Test
    void aTrainedModelIsPrunedOnceIntoEveryVariantAndARepeatIsAnsweredFromTheRecord() throws Exception {
        TrainedModelEvent model = storedModel(RUN);
        String event = Json.write(model);
        assertNull(deliver(connector, Topics.TRAINED_MODELS, event), "acknowledged");
        assertEquals(4, variants.received().size());
        ArtifactStore store = new ArtifactStore(config.storeDir());
        for (Message<String> m : variants.received()) {
            PrunedVariantEvent v = Json.read(m.getPayload(), PrunedVariantEvent.class);
            assertEquals(RUN, v.runId());
            assertEquals(model.modelId(), v.modelId());
            assertEquals(4, v.expectedVariants());
            ModelArtifact a = store.getModel(v.variantId());
            assertEquals(v.method(), a.manifest().pruning().method());
            // the rule really ran: 50 % of each hidden layer's weights (or neurons) are zero, the output layer is whole
            double zeros = a.mlp().layer(0).zeros() / (double) a.mlp().layer(0).size();
            assertEquals(v.percentage() / 100, zeros, 0.01, v.key());
            assertEquals(0, a.mlp().layer(2).zeros(), v.key());
        }
        double emitted = emitted();

        // redelivered: the same variants again, nothing pruned twice
        assertNull(deliver(connector, Topics.TRAINED_MODELS, event));
        assertEquals(8, variants.received().size());
        for (int i = 0; i < 4; i++) {
            assertEquals(variants.received().get(i).getPayload(), variants.received().get(i + 4).getPayload());
        }
        assertEquals(emitted, emitted(), "no variant produced twice");

        // a repeat is still checked: a tampered hash is refused, not answered from the record
        Throwable tampered = deliver(connector, Topics.TRAINED_MODELS, event.replace("\"sha256\":\"" + model.sha256(),
                "\"sha256\":\"" + "f".repeat(64)));
        assertTrue(tampered.getMessage().contains("does not match the expected SHA-256"), tampered.getMessage());

        // a re-prune under the run id of this run is refused
        Throwable reused = deliver(connector, Topics.PRUNE_REQUESTS, "{\"runId\":\"" + RUN + "\",\"modelId\":\""
                + model.modelId() + "\",\"percentages\":[90]}");
        assertTrue(reused.getMessage().contains("was already pruned"), reused.getMessage());
    }

    @Test
    void globalAndRandomPruningAreAskedForByNameAndDrawFromTheModelsSeed() throws Exception {
        TrainedModelEvent model = storedModel(RUN + "-gr");
        String event = Json.write(model).replace("\"methods\":[\"weight\",\"neuron\"]",
                "\"methods\":[\"global\",\"random\"]");
        assertNull(deliver(connector, Topics.TRAINED_MODELS, event));
        assertEquals(4, variants.received().size());
        ArtifactStore store = new ArtifactStore(config.storeDir());
        for (Message<String> m : variants.received()) {
            PrunedVariantEvent v = Json.read(m.getPayload(), PrunedVariantEvent.class);
            Mlp pruned = store.getModel(v.variantId()).mlp();
            long hidden = pruned.layer(0).size() + pruned.layer(1).size();
            long zeros = pruned.layer(0).zeros() + pruned.layer(1).zeros();
            // int(p * N / 100) of the hidden weights either way; random draws it per layer
            assertEquals((long) (v.percentage() * hidden / 100), zeros, v.key());
            if (v.method() == Method.RANDOM) {
                assertEquals(Method.RANDOM.apply(store.getModel(model.modelId()).mlp(), v.percentage(), 11).layer(0),
                        pruned.layer(0), "drawn from the model's seed (11)");
            }
            assertEquals(0, pruned.layer(2).zeros(), v.key());
        }
    }

    @Test
    void badInputsAreNackedWithTheirReason() throws Exception {
        TrainedModelEvent model = storedModel(RUN + "-bad");
        String zeros = "0".repeat(64);
        assertRefused(connector, Topics.TRAINED_MODELS, Json.write(model).replace("\"sha256\":\"" + model.sha256(),
                "\"sha256\":\"" + zeros), "does not match the expected SHA-256");
        assertRefused(connector, Topics.TRAINED_MODELS, "not json", "invalid TrainedModelEvent JSON");
        assertRefused(connector, Topics.PRUNE_REQUESTS, "{\"runId\":\"p1\"}", "modelId is required");
        assertRefused(connector, Topics.PRUNE_REQUESTS, "{\"runId\":\"p2\",\"modelId\":\"../../etc/passwd\"}", "is not an artifact id");
        assertRefused(connector, Topics.PRUNE_REQUESTS, "{\"runId\":\"p3\",\"modelId\":\"" + zeros + "\"}", "is not in the store");
        assertRefused(connector, Topics.PRUNE_REQUESTS, "{\"modelId\":\"" + model.modelId() + "\",\"percentages\":[0.5,100]}",
                "must be in [0, 100), got 100.0");
        assertEquals(0, variants.received().size());
    }

    private double emitted() {
        return registry.find("pruner_variants_emitted").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** A small trained model in the store, and the event the trainer would publish for it. */
    private TrainedModelEvent storedModel(String runId) {
        Mlp mlp = Networks.gaussian(11, 1, 784, 20, 12, 10);
        TrainingConfig cfg = new TrainingConfig("mnist", List.of(20, 12), 1, 64, 1e-3, 11, 600);
        String id = new ArtifactStore(config.storeDir()).putModel(new ModelArtifact(mlp,
                ModelManifest.trained(runId, mlp, cfg, List.of())));
        return new TrainedModelEvent(runId, id, id, "mnist", mlp.sizes(), cfg, List.of(), 2.0, 0.2, 1.0,
                Method.DEFAULTS, List.of(0.0, 50.0), false, "2026-01-01T00:00:00Z", List.of(11L), FineTuning.NONE);
    }

    @Test
    void aRunWithFineTuningGetsAJobPerVariantAndEachSeedsModelIsPrunedOnce() throws Exception {
        InMemorySink<String> jobs = connector.sink(Topics.TRAINING_JOBS);
        jobs.clear();
        String run = RUN + "-ft";
        TrainedModelEvent seed11 = storedModel(run);
        FineTuning tuning = new FineTuning(2, 5e-4);
        TrainedModelEvent asked = new TrainedModelEvent(run, seed11.modelId(), seed11.sha256(), "mnist",
                seed11.sizes(), seed11.training(), List.of(), 2.0, 0.2, 1.0, List.of(Method.WEIGHT), List.of(50.0, 90.0),
                false, "2026-01-01T00:00:00Z", List.of(11L, 12L), tuning);
        assertEquals(2 * (2 + 2), asked.expectedVariants(), "2 seeds x (2 one-shot + 2 fine-tuned)");
        assertNull(deliver(connector, Topics.TRAINED_MODELS, Json.write(asked)));
        assertEquals(2, variants.received().size());
        List<TrainingJob> tunings = jobs.received().stream().map(m -> Json.read(m.getPayload(), TrainingJob.class))
                .toList();
        assertEquals(List.of(run + "/s11/weight/50/fine-tuned", run + "/s11/weight/90/fine-tuned"),
                tunings.stream().map(TrainingJob::key).toList());
        PrunedVariantEvent first = Json.read(variants.received().get(0).getPayload(), PrunedVariantEvent.class);
        assertEquals(first.variantId(), tunings.get(0).variantId(), "the job retrains the variant just pruned");
        assertEquals(2, tunings.get(0).training().epochs());
        assertEquals(5e-4, tunings.get(0).training().learningRate());
        assertEquals(8, tunings.get(0).expectedVariants());

        // the model of the run's other seed is pruned too (its own record), not answered from seed 11's
        Mlp mlp = Networks.gaussian(12, 1, 784, 20, 12, 10);
        TrainingConfig cfg12 = new TrainingConfig("mnist", List.of(20, 12), 1, 64, 1e-3, 12, 600);
        String id12 = new ArtifactStore(config.storeDir()).putModel(new ModelArtifact(mlp,
                ModelManifest.trained(run, mlp, cfg12, List.of())));
        TrainedModelEvent seed12 = new TrainedModelEvent(run, id12, id12, "mnist", mlp.sizes(), cfg12, List.of(), 2.0,
                0.2, 1.0, List.of(Method.WEIGHT), List.of(50.0, 90.0), false, "2026-01-01T00:00:00Z",
                List.of(11L, 12L), tuning);
        assertNull(deliver(connector, Topics.TRAINED_MODELS, Json.write(seed12)));
        assertEquals(4, variants.received().size());
        PrunedVariantEvent other = Json.read(variants.received().get(2).getPayload(), PrunedVariantEvent.class);
        assertEquals(12L, other.seed());
        assertEquals(id12, other.modelId());
        assertEquals(4, jobs.received().size());
    }
}
