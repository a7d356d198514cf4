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
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.trainer.config.TrainerConfig;

/** The trainer on SmallRye's in-memory connector: requests in, jobs out; jobs in, model, variant and progress records out. */
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

    private InMemorySink<String> jobs;

    @BeforeEach
    void sinks() {
        models = connector.sink(Topics.TRAINED_MODELS);
        variants = connector.sink(Topics.PRUNED_VARIANTS);
        progress = connector.sink(Topics.TRAINING_PROGRESS);
        jobs = connector.sink("training-jobs-out");
        models.clear();
        variants.clear();
        progress.clear();
        jobs.clear();
    }

    static String request(String runId, int epochs) {
        return "{\"runId\":\"" + runId + "\",\"epochs\":" + epochs + ",\"trainLimit\":600,\"hiddenSizes\":[16,8],"
                + "\"seed\":3,\"percentages\":[0,50],\"baseline\":true}";
    }

    private List<String> networks() {
        return progress.received().stream().map(m -> Json.read(m.getPayload(), TrainingProgress.class).network())
                .toList();
    }

    @Test
    void aRequestBecomesJobsAndEachJobTrainsOnceWhicheverOrderTheyCome() throws Exception {
        assertNull(deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 1)), "acknowledged");
        List<String> posted = jobs.received().stream().map(m -> m.getPayload()).toList();
        List<TrainingJob> planned = posted.stream().map(j -> Json.read(j, TrainingJob.class)).toList();
        assertEquals(List.of(RUN + "/s3/model", RUN + "/s3/scratch/50"), planned.stream().map(TrainingJob::key).toList());
        assertEquals(0, models.received().size() + progress.received().size(), "nothing trained by the request");

        // the from-scratch network first: trained and recorded, published once its seed's model is there
        assertNull(deliver(connector, Topics.TRAINING_JOBS, posted.get(1)));
        assertEquals(List.of("scratch 50%"), networks());
        assertEquals(0, variants.received().size(), "waits for the model it stands beside");

        assertNull(deliver(connector, Topics.TRAINING_JOBS, posted.get(0)));
        assertEquals(1, models.received().size());
        TrainedModelEvent model = Json.read(models.received().get(0).getPayload(), TrainedModelEvent.class);
        assertEquals(RUN, model.runId());
        assertEquals(3L, model.seed());
        assertEquals(List.of(784, 16, 8, 10), model.sizes());
        assertEquals(List.of(Method.WEIGHT, Method.NEURON), model.methods());
        assertEquals(5, model.expectedVariants()); // 2 methods x 2 percentages + the 50 % from-scratch network
        ArtifactStore store = new ArtifactStore(config.storeDir());
        assertTrue(store.contains(model.modelId()), "model stored");
        assertEquals(1, variants.received().size(), "the model job publishes the network recorded before it");
        PrunedVariantEvent scratch = Json.read(variants.received().get(0).getPayload(), PrunedVariantEvent.class);
        assertEquals(Method.SCRATCH, scratch.method());
        assertEquals(model.modelId(), scratch.modelId());
        assertEquals(RUN + "/s3/scratch/50", scratch.key());
        assertEquals(List.of(784, 8, 4, 10), store.getModel(scratch.variantId()).mlp().sizes());
        assertEquals(List.of("scratch 50%", "model"), networks());

        // a redelivered job: the recorded records, no second training
        assertNull(deliver(connector, Topics.TRAINING_JOBS, posted.get(0)));
        assertEquals(2, models.received().size());
        assertEquals(models.received().get(0).getPayload(), models.received().get(1).getPayload());
        assertNull(deliver(connector, Topics.TRAINING_JOBS, posted.get(1)));
        assertEquals(variants.received().get(0).getPayload(), variants.received().get(2).getPayload());
        assertEquals(2, progress.received().size(), "no epoch trained again");

        // the same request again: the same jobs; another request under the same run id is refused
        assertNull(deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 1)));
        assertEquals(posted, jobs.received().subList(2, 4).stream().map(m -> m.getPayload()).toList());
        Throwable other = deliver(connector, Topics.TRAINING_REQUESTS, request(RUN, 2));
        assertTrue(other.getMessage().contains("was already trained from another request"), other.getMessage());
        assertEquals(4, jobs.received().size());

        // a fine-tuning job: the pruned variant retrained with its zeros kept, published as the fine-tuned variant
        Mlp trained = store.getModel(model.modelId()).mlp();
        Mlp pruned = Method.WEIGHT.apply(trained, 50, 3);
        ModelArtifact parent = store.getModel(model.modelId());
        String prunedId = store.putModel(new ModelArtifact(pruned, parent.manifest().pruned(
                new PruningInfo(model.modelId(), Method.WEIGHT, 50, Sparsity.of(pruned)))));
        PrunedVariantEvent oneShot = new PrunedVariantEvent(RUN, model.modelId(), prunedId, prunedId, "mnist",
                Method.WEIGHT, 50, Sparsity.of(pruned), 3, 5, Stage.ONE_SHOT);
        TrainingJob tune = TrainingJob.fineTune(oneShot, new FineTuning(1, 1e-3).config(model.training()));
        assertNull(deliver(connector, Topics.TRAINING_JOBS, Json.write(tune)));
        PrunedVariantEvent tuned = Json.read(variants.received().get(3).getPayload(), PrunedVariantEvent.class);
        assertEquals(Stage.FINE_TUNED, tuned.stage());
        assertEquals(RUN + "/s3/weight/50/fine-tuned", tuned.key());
        Mlp after = store.getModel(tuned.variantId()).mlp();
        for (int k = 0; k < 2; k++) {
            float[] w = pruned.layer(k).weights();
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0f) {
                    assertEquals(0f, after.layer(k).weights()[i], "layer " + k + " weight " + i + " stays pruned");
                }
            }
        }
        assertTrue(!after.equals(pruned), "the kept weights trained");
        assertEquals("weight 50% fine-tuned", networks().get(2));

        // a fine-tuning of an artifact that is not the variant it names is refused
        TrainingJob wrong = TrainingJob.fineTune(new PrunedVariantEvent(RUN, model.modelId(), model.modelId(),
                model.modelId(), "mnist", Method.WEIGHT, 60, Sparsity.of(trained), 3, 5, Stage.ONE_SHOT),
                new FineTuning(1, 1e-3).config(model.training()));
        Throwable refused = deliver(connector, Topics.TRAINING_JOBS, Json.write(wrong));
        assertTrue(refused.getMessage().contains("is not the weight 60.0% variant"), refused.getMessage());
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
        assertEquals(0, models.received().size() + variants.received().size() + progress.received().size()
                + jobs.received().size());
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"seeds\":[1,1]}", "must not repeat");
        assertRefused(connector, Topics.TRAINING_JOBS, "{\"runId\":\"j\",\"kind\":\"lotto\"}", "unknown job kind");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"lottery\":{\"rounds\":0}}", "lottery.rounds must be in");
        assertRefused(connector, Topics.TRAINING_REQUESTS, "{\"lottery\":{},\"methods\":[\"neuron\"]}",
                "a lottery request prunes by weight");
        assertRefused(connector, Topics.TRAINING_JOBS, "{\"runId\":\"j\",\"kind\":\"lottery\",\"seed\":1,"
                + "\"expectedVariants\":1,\"training\":{\"dataset\":\"mnist\",\"hiddenSizes\":[8],\"epochs\":1,"
                + "\"batchSize\":8,\"learningRate\":0.01,\"seed\":1,\"trainLimit\":0},\"method\":\"neuron\","
                + "\"percentage\":50}", "a lottery job names its settings");
        assertRefused(connector, Topics.TRAINING_JOBS, "{\"runId\":\"j\",\"kind\":\"model\"}", "'seed' is required");
        assertRefused(connector, Topics.TRAINING_JOBS, "{\"runId\":\"j\",\"kind\":\"model\",\"seed\":1,\"expectedVariants\":2}",
                "runId, kind and training are required");
    }
}
