package org.prunelab.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.prunelab.support.testing.Deliveries.assertRefused;
import static org.prunelab.support.testing.Deliveries.deliver;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.prunelab.core.Json;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.trainer.config.TrainerConfig;

/** The trainer on SmallRye's in-memory connector: requests in, model, baseline and progress records out. */
@QuarkusTest
class TrainerServiceTest {
    /** Run ids unique to this test JVM, so that records an earlier run left in target/test-store are not found. */
    private static final String RUN = "trainer-test-" + System.nanoTime();

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    TrainerConfig config;

    private InMemorySink<String> models;
    private InMemorySink<String> variants;
    private InMemorySink<String> progress;

    @BeforeEach
    void sinks() {
        models = connector.sink(Topics.TRAINED_MODELS);
        variants = connector.sink(Topics.PRUNED_VARIANTS);
        progress = connector.sink(Topics.TRAINING_PROGRESS);
        models.clear();
        variants.clear();
        progress.clear();
    }

    static String request(String runId, int epochs) {
        return "{\"runId\":\"" + runId + "\",\"epochs\":" + epochs + ",\"trainLimit\":600,\"hiddenSizes\":[16,8],"
                + "\"seed\":3,\"percentages\":[0,50],\"baseline\":true}";
    }

    @Test
    void aRequestTrainsTheModelAndItsBaselineOnceAndARepeatIsAnsweredFromTheRecord() throws Exception {
        assertNull(deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 1)), "acknowledged");
        assertEquals(1, models.received().size());
        TrainedModelEvent model = Json.read(models.received().get(0).getPayload(), TrainedModelEvent.class);
        assertEquals(RUN, model.runId());
        assertEquals(List.of(784, 16, 8, 10), model.sizes());
        assertEquals(List.of(Method.WEIGHT, Method.NEURON), model.methods());
        assertEquals(5, model.expectedVariants()); // 2 methods x 2 percentages + the 50 % from-scratch network
        assertTrue(new ArtifactStore(config.storeDir()).contains(model.modelId()), "model stored");

        assertEquals(1, variants.received().size());
        PrunedVariantEvent scratch = Json.read(variants.received().get(0).getPayload(), PrunedVariantEvent.class);
        assertEquals(Method.SCRATCH, scratch.method());
        assertEquals(50.0, scratch.percentage());
        assertEquals(List.of(784, 8, 4, 10), new ArtifactStore(config.storeDir()).getModel(scratch.variantId())
                .mlp().sizes());
        List<String> networks = progress.received().stream()
                .map(m -> Json.read(m.getPayload(), TrainingProgress.class).network()).toList();
        assertEquals(List.of("model", "scratch 50%"), networks);

        // the same request again: the recorded records, no second training
        assertNull(deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 1)));
        assertEquals(2, models.received().size());
        assertEquals(models.received().get(0).getPayload(), models.received().get(1).getPayload());
        assertEquals(variants.received().get(0).getPayload(), variants.received().get(1).getPayload());
        assertEquals(2, progress.received().size(), "no epoch trained again");

        // another request under the same run id is refused, not trained
        Throwable other = deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 2));
        assertTrue(other.getMessage().contains("was already trained from another request"), other.getMessage());
        assertEquals(2, models.received().size());
    }

    @Test
    void badRequestsAreNackedWithAReasonAUserUnderstands() throws Exception {
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"runId\":\"frac\",\"epochs\":1.5}", "invalid TrainingRequest JSON");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"runId\":\"bad\",\"dataset\":\"cifar-10\"}", "unknown dataset 'cifar-10'");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"methods\":[\"magnitude\"]}", "unknown pruning method 'magnitude'");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"methods\":[\"scratch\"]}", "\"baseline\": true");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"epochs\":0}", "epochs must be in [1, 1000]");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "null", "a TrainingRequest is a JSON object");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "", "empty record");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"runId\": ", "invalid TrainingRequest JSON");
        assertEquals(0, models.received().size() + variants.received().size() + progress.received().size());
    }
}
