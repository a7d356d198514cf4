package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.prunelab.core.Json;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * Bad input, crashes and scale against the real broker: every bad record is dead-lettered with its reason and the
 * services go on; a SIGKILLed service restarted mid-run lets the run finish with every result once; two evaluators
 * share a run without evaluating anything twice. Counts are printed for the closing note.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    private static SharedPipeline lab;

    @BeforeAll
    static void start() {
        lab = SharedPipeline.get();
    }

    /** A bad record, the topic it goes to, and a piece of the reason its dead letter must give. */
    record Bad(String topic, String payload, String reason) {
    }

    @Test
    @Order(1)
    void everyBadRecordIsDeadLetteredWithItsReasonAndTheServicesGoOn() throws IOException {
        // a real trained model and variant to tamper with
        lab.client.post(Topics.TRAINING_REQUESTS, "bad-base", SharedPipeline.request("bad-base", "mnist", "50"));
        RunResults base = lab.client.await("bad-base", RUN_TIMEOUT, r -> { });
        String modelId = base.trained().modelId();
        EvaluationEvent variant = base.evaluations().get(0);
        Path store = lab.home.root().resolve("lab-runner/target/e2e/store");
        // the variant's bytes with one bit flipped, filed under an id they no longer hash to: a tampered artifact
        String zeros = "0".repeat(64);
        String tamperedId = "f".repeat(64);
        byte[] bytes = Files.readAllBytes(store.resolve(variant.variantId() + ".npz"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(store.resolve(tamperedId + ".npz"), bytes);

        String goodVariant = Json.write(new PrunedVariantEvent("bad-v", modelId, variant.variantId(),
                variant.variantId(), "mnist", Method.WEIGHT, 50, variant.sparsity(), 7, 1, Stage.ONE_SHOT));
        List<Bad> bad = List.of(
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\": \"res-bad-1\", ", "invalid TrainingRequest JSON"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-2\",\"epochs\":\"ten\"}", "invalid TrainingRequest JSON"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-3\",\"dataset\":\"cifar-10\"}", "unknown dataset 'cifar-10'"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-4\",\"methods\":[\"magnitude\"]}", "unknown pruning method 'magnitude'"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-5\",\"percentages\":[50, 100]}", "must be in [0, 100), got 100.0"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-6\",\"percentages\":[-5]}", "must be in [0, 100), got -5.0"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-7\",\"epochs\":0}", "epochs must be in [1, 1000]"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-8\",\"epochs\":1000000}", "epochs must be in [1, 1000]"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"bad-9\",\"hiddenSizes\":[20000,20000,20000]}", "more than the limit"),
                new Bad(Topics.TRAINING_REQUESTS, "{\"runId\":\"../../etc\"}", "runId '../../etc' must be"),
                new Bad(Topics.TRAINING_REQUESTS, "[1, 2, 3]", "invalid TrainingRequest JSON"),
                new Bad(Topics.PRUNE_REQUESTS, "{\"runId\":\"bad-p1\"}", "modelId is required"),
                new Bad(Topics.PRUNE_REQUESTS, "{\"runId\":\"bad-p2\",\"modelId\":\"../../etc/passwd\"}", "is not an artifact id"),
                new Bad(Topics.PRUNE_REQUESTS, "{\"runId\":\"bad-p3\",\"modelId\":\"" + zeros + "\"}", "is not in the store"),
                new Bad(Topics.PRUNE_REQUESTS, "{\"runId\":\"bad-p4\",\"modelId\":\"" + variant.variantId() + "\"}", "only trained models are pruned"),
                new Bad(Topics.TRAINED_MODELS, "not json at all", "invalid TrainedModelEvent JSON"),
                new Bad(Topics.TRAINED_MODELS, Json.write(base.trained()).replace(modelId + "\",\"dataset", zeros + "\",\"dataset"), "does not match the expected SHA-256"),
                new Bad(Topics.PRUNED_VARIANTS, "{\"runId\":\"bad-v1\"}", "invalid PrunedVariantEvent JSON"),
                new Bad(Topics.PRUNED_VARIANTS, "{\"runId\":\"bad-v1b\",\"percentage\":50,\"seed\":1,\"expectedVariants\":1}", "are required"),
                new Bad(Topics.PRUNED_VARIANTS, goodVariant.replace("\"bad-v\"", "\"bad-v2\"").replace(variant.variantId() + "\",\"sha256", "/etc/passwd\",\"sha256"), "is not an artifact id"),
                new Bad(Topics.PRUNED_VARIANTS, goodVariant.replace("\"bad-v\"", "\"bad-v3\"").replace(variant.variantId(), tamperedId), "is tampered"),
                new Bad(Topics.PRUNED_VARIANTS, goodVariant.replace("\"bad-v\"", "\"bad-v4\"").replace("\"percentage\":50.0", "\"percentage\":120.0"), "must be in [0, 100)"),
                new Bad(Topics.PRUNED_VARIANTS, goodVariant.replace("\"bad-v\"", "\"bad-v5\"").replace("\"percentage\":50.0", "\"percentage\":60.0"), "is not the one-shot weight 60.0% variant"));
        int before = lab.client.deadLetters().size();
        for (Bad b : bad) {
            lab.client.post(b.topic(), "bad", b.payload());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (lab.client.deadLetters().size() < before + bad.size() && System.nanoTime() < deadline) {
            LocalKafka.sleep(250); // then report whatever is missing
        }
        Set<String> payloads = bad.stream().map(Bad::payload).collect(Collectors.toSet());
        List<RunClient.DeadLetter> letters = lab.client.deadLetters().stream()
                .filter(d -> payloads.contains(d.payload())).toList();
        List<String> missing = new ArrayList<>();
        for (Bad b : bad) {
            boolean found = letters.stream().anyMatch(d -> d.payload().equals(b.payload()) && b.topic().equals(d.topic())
                    && d.reason() != null && d.reason().contains(b.reason()));
            if (!found) {
                missing.add(b.topic() + " " + b.payload() + " (expected reason containing '" + b.reason() + "')");
            }
        }
        System.out.printf("[resilience] bad inputs tried: %d, dead-lettered: %d%n", bad.size(), letters.size());
        letters.forEach(d -> System.out.printf("[resilience]   %s: %s%n", d.topic(), d.reason()));
        assertTrue(missing.isEmpty(), "not dead-lettered with the reason: " + missing);
        assertEquals(bad.size(), letters.size(), "one dead letter per bad record");
        for (String s : Pipeline.SERVICES) {
            assertTrue(lab.pipeline.service(s).isAlive(), s + " still runs");
        }
        // the services still work: a valid request afterwards completes
        lab.client.post(Topics.TRAINING_REQUESTS, "after-bad", SharedPipeline.request("after-bad", "mnist", "0,90"));
        assertEquals(4, lab.client.await("after-bad", RUN_TIMEOUT, r -> { }).evaluations().size());
    }

    // The three crash tests kill a service with SIGKILL and restart nothing by hand: the runner's supervisor brings
    // the service back, and the input it had not acknowledged is delivered again.

    @Test
    @Order(2)
    void aKilledEvaluatorIsRestartedBySupervisionAndTheRunFinishesWithEveryResultOnce() throws java.io.IOException {
        String run = "crash-evaluator";
        // a wider network, so that evaluating its 16 variants takes long enough (about 2 s each) to crash in between
        lab.client.post(Topics.TRAINING_REQUESTS, run, wideRequest(run, 5, 1, "0,25,50,60,70,80,90,95"));
        RunResults r = lab.client.run(run);
        waitUntil(() -> r.evaluations().size() >= 3, "run did not start evaluating");
        killUnderSupervision("evaluator-service", run, 16);
        // the restarted evaluator shows the results of the one it replaced too: none vanishes from the dashboards
        lab.prometheus.awaitData("count(pruning_test_accuracy_ratio{run=\"" + run + "\"}) == 16", Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void aKilledPrunerIsRestartedBySupervisionAndTheRunFinishesWithEveryResultOnce() throws java.io.IOException {
        String run = "crash-pruner";
        // a wider network makes pruning slow enough (about 0.2 s a variant) to be caught in the middle
        lab.client.post(Topics.TRAINING_REQUESTS, run, wideRequest(run, 3, 1, "0,25,50,60,70,80,90,95,97,99"));
        RunResults r = lab.client.run(run);
        waitUntil(() -> r.trained() != null, "the model was not trained");
        killUnderSupervision("pruner-service", run, 20);
        // the restarted pruner shows the analyses of the runs it had pruned before (crash-evaluator: 2 hidden layers)
        lab.prometheus.awaitData("count(analysis_top10_gini{run=\"crash-evaluator\"}) == 2", Duration.ofSeconds(60));
    }

    @Test
    @Order(4)
    void aKilledTrainerIsRestartedBySupervisionMidTrainingAndTheRunFinishesWithEveryResultOnce() {
        String run = "crash-trainer";
        // several epochs of a wide network: killed after the first, the job goes on from its last checkpoint
        lab.client.post(Topics.TRAINING_REQUESTS, run, wideRequest(run, 4, 6, "0,50,90"));
        RunResults r = lab.client.run(run);
        waitUntil(() -> !r.progress().isEmpty(), "training did not start");
        assertTrue(r.trained() == null, "still training when killed");
        killUnderSupervision("trainer-service", run, 6);
        List<Integer> epochs = lab.client.run(run).progress().stream().map(p -> p.epoch()).sorted().toList();
        System.out.printf("[supervision] epochs reported by the killed trainer's job: %s%n", epochs);
        assertEquals(1, epochs.stream().filter(e -> e == 1).count(), "resumed, not trained from the start: " + epochs);
        assertEquals(6, epochs.get(epochs.size() - 1));
    }

    /** Kills the service, lets the supervisor restart it, and counts the run's results. */
    private static void killUnderSupervision(String service, String run, int expected) {
        int before = lab.pipeline.restarts(service);
        lab.pipeline.kill(service);
        RunResults done = lab.client.await(run, RUN_TIMEOUT, x -> { });
        int lost = expected - done.evaluations().size();
        System.out.printf("[supervision] %s killed: restarts %d, variants expected %d, results recorded %d, "
                        + "duplicates %d, lost %d (evaluation records %d, pruned-variant records %d, epochs reported "
                        + "%d)%n", service, lab.pipeline.restarts(service) - before, expected, done.evaluations().size(),
                done.reevaluated().size(), lost, done.evaluationRecords(), done.variantRecords(),
                done.progress().size());
        assertEquals(1, lab.pipeline.restarts(service) - before, "restarted once by the supervisor");
        assertTrue(lab.pipeline.service(service).isAlive(), service + " runs again");
        assertExactlyOnce(done, expected, service + " killed");
        assertEquals(0, lost);
    }

    @Test
    @Order(5)
    void twoEvaluatorsShareARunWithoutEvaluatingAnythingTwice() {
        lab.pipeline.startService("evaluator-service-2");
        lab.pipeline.awaitReady("evaluator-service-2", Duration.ofSeconds(120));
        try {
            String run = "scale-2";
            lab.client.post(Topics.TRAINING_REQUESTS, run, SharedPipeline.request(run, "fashion-mnist", "0,25,50,60,70,80,90,95"));
            RunResults r = assertExactlyOnce(lab.client.await(run, RUN_TIMEOUT, x -> { }), 16, "two evaluators");
            Set<String> by = r.evaluations().stream().map(EvaluationEvent::evaluatedBy).collect(Collectors.toSet());
            System.out.printf("[resilience] two evaluators: evaluated by %s%n", by);
            assertEquals(2, by.size(), "both evaluators took part: " + by);
        } finally {
            lab.pipeline.stopService("evaluator-service-2");
        }
    }

    /** A quickly trained but wide network (1000-1000), so that pruning and evaluating it take long enough to crash. */
    private static String wideRequest(String run, int seed, int epochs, String percentages) {
        return "{\"runId\":\"" + run + "\",\"hiddenSizes\":[1000,1000],\"epochs\":" + epochs + ",\"trainLimit\":"
                + (epochs > 1 ? 3000 : 640) + ",\"seed\":" + seed + ",\"percentages\":[" + percentages + "]}";
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            LocalKafka.sleep(20);
        }
    }

    private static RunResults assertExactlyOnce(RunResults r, int expected, String what) {
        System.out.printf("[resilience] %s: variants expected %d, received %d, evaluation records %d, "
                        + "re-evaluated %d%n", what, expected, r.evaluations().size(), r.evaluationRecords(),
                r.reevaluated().size());
        assertEquals(expected, r.evaluations().size());
        assertTrue(r.reevaluated().isEmpty(), "evaluated twice: " + r.reevaluated());
        return r;
    }
}
