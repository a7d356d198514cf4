package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.runner.report.ReportWriter;

/**
 * The whole pipeline against a real KRaft broker: the three packaged services as processes, requests posted as
 * JSON the way users post them, results read back from the evaluations topic.
 */
class PipelineEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static Pipeline pipeline;
    private static RunClient client;

    @BeforeAll
    static void start() {
        pipeline = SharedPipeline.get().pipeline;
        client = SharedPipeline.get().client;
    }

    private static byte[] readBytes(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readString(Path p) {
        return new String(readBytes(p), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String request(String runId, String dataset, boolean baseline) {
        return SharedPipeline.request(runId, dataset, "0,50,90", baseline);
    }

    @Test
    void twoRunsOnTwoDatasetsEachGetEveryEvaluationOnce() {
        // the MNIST run also asks for the from-scratch baseline; the Fashion-MNIST run takes the default (none)
        client.post(Topics.TRAINING_REQUESTS, "e2e-mnist", request("e2e-mnist", "mnist", true));
        client.post(Topics.TRAINING_REQUESTS, "e2e-fashion", request("e2e-fashion", "fashion-mnist", false));
        Set<String> pruned = Set.of("weight/0.0", "weight/50.0", "weight/90.0", "neuron/0.0", "neuron/50.0", "neuron/90.0");
        Set<String> scratch = Set.of("scratch/50.0", "scratch/90.0");
        for (String[] run : new String[][]{{"e2e-mnist", "mnist"}, {"e2e-fashion", "fashion-mnist"}}) {
            RunResults r = client.await(run[0], RUN_TIMEOUT, x -> { });
            List<EvaluationEvent> evals = r.evaluations();
            Set<String> keys = evals.stream().map(e -> e.method() + "/" + e.percentage()).collect(Collectors.toSet());
            Set<String> expected = new java.util.TreeSet<>(pruned);
            if (run[1].equals("mnist")) {
                expected.addAll(scratch);
            }
            assertEquals(expected, keys);
            assertEquals(expected.size(), evals.size());
            for (EvaluationEvent e : evals) {
                assertEquals(run[0], e.runId());
                assertEquals(run[1], e.dataset());
                assertEquals(r.trained().modelId(), e.modelId());
                assertEquals(7, e.seed());
                assertTrue(e.fastMaxAbsDiff() < 1e-4, e.key() + " fast form differs by " + e.fastMaxAbsDiff());
                assertTrue(!e.timings().isEmpty() && e.timings().stream().allMatch(t -> t.dense().wallMedianMs() > 0
                        && t.fast().wallMedianMs() > 0), e.key() + " " + e.timings());
                if (e.percentage() == 0) {
                    // the unpruned variant reproduces the trained model (at most one image's argmax may differ
                    // between DL4J's output() and our gemm)
                    assertEquals(r.trained().testAccuracy(), e.testAccuracy(), 1e-4, e.key());
                    assertEquals(0.0, e.sparsity().overall(), 1e-9);
                } else if (e.method() == Method.SCRATCH) {
                    assertEquals(0.0, e.sparsity().overall(), 1e-9, e.key() + " is a dense, smaller network");
                } else {
                    assertTrue(e.sparsity().overall() > 0, e.key());
                }
            }
            // a from-scratch network has exactly the weights of the compacted neuron-pruned network at its percentage
            for (EvaluationEvent s : evals.stream().filter(e -> e.method() == Method.SCRATCH).toList()) {
                EvaluationEvent n = evals.stream().filter(e -> e.method() == Method.NEURON
                        && e.percentage() == s.percentage()).findFirst().orElseThrow();
                assertEquals(n.fastParameters(), s.fastParameters(), s.key());
                assertEquals(s.fastParameters(), s.sparsity().nonZeros(), s.key() + " is dense");
                // it learned: 32-16 hidden well above chance after one epoch. 7-4 hidden (90 %) gets 47 steps, which
                // leave its accuracy at 0.10-0.32 over seeds 1-10 (either engine), but its test loss always below a
                // uniform guess's ln 10 = 2.303 (measured 1.94-2.18)
                if (s.percentage() <= 50) {
                    assertTrue(s.testAccuracy() > 0.5, s.key() + " learned: " + s.testAccuracy());
                } else {
                    assertTrue(s.testLoss() < Math.log(10) - 0.05, s.key() + " learned: test loss " + s.testLoss());
                }
                assertTrue(!s.variantId().equals(r.trained().modelId()));
            }
            // every network the trainer trained for the run reported its epoch, named
            List<String> networks = r.progress().stream().map(p -> p.describesModel() ? "model" : p.network()).toList();
            assertEquals(run[1].equals("mnist") ? List.of("model", "scratch 50%", "scratch 90%") : List.of("model"),
                    networks.stream().sorted().toList(), "progress of " + run[0]);
            // 1 epoch on 3,000 images of a 64-32 net is far above chance (0.1) on both datasets
            assertTrue(r.trained().testAccuracy() > 0.6, "trained accuracy " + r.trained().testAccuracy());
        }
        // the run's report: every chart a PNG, the markdown with conclusions and the table
        RunResults mnist = client.run("e2e-mnist");
        Path reportDir = SharedPipeline.get().home.root().resolve("lab-runner/target/e2e/report-e2e-mnist");
        List<Path> files = ReportWriter.write(mnist, new ArtifactStore(SharedPipeline.get().store)
                .getModel(mnist.trained().modelId()).mlp(), reportDir);
        // 6 charts (accuracy, accuracy vs removed, loss, time, speed-up, removed share), neuron-pruned vs from
        // scratch, 3 per hidden layer (2 hidden layers), report.md
        assertEquals(6 + 1 + 3 * 2 + 1, files.size());
        for (Path f : files) {
            byte[] head = java.util.Arrays.copyOf(readBytes(f), 8);
            if (f.toString().endsWith(".png")) {
                assertEquals((byte) 0x89, head[0], f + " is a PNG");
                assertEquals('P', head[1]);
                assertTrue(readBytes(f).length > 5000, f + " has a drawn chart");
            }
        }
        String md = readString(reportDir.resolve("report.md"));
        assertTrue(md.contains("## Conclusions") && md.contains("pruning stays within 1 point"), md);
        assertTrue(md.contains("![layer1-top10-spread](layer1-top10-spread.png)"), md);
        assertTrue(md.contains("| 90 |"), md);
        assertTrue(md.contains("![scratch-vs-neuron](scratch-vs-neuron.png)") && md.contains("trained from scratch"), md);

        // re-prune the first run's model with another percentage, without retraining
        String modelId = client.run("e2e-mnist").trained().modelId();
        client.post(Topics.PRUNE_REQUESTS, "e2e-reprune", "{\"runId\":\"e2e-reprune\",\"modelId\":\"" + modelId
                + "\",\"methods\":[\"weight\"],\"percentages\":[75]}");
        RunResults again = client.await("e2e-reprune", RUN_TIMEOUT, x -> { });
        assertEquals(1, again.evaluations().size());
        EvaluationEvent e = again.evaluations().get(0);
        assertEquals(modelId, e.modelId());
        assertEquals(75.0, e.percentage());
    }

    @Test
    void aBadRequestIsDeadLetteredWithItsReason() {
        client.post(Topics.TRAINING_REQUESTS, "bad", "{\"runId\":\"e2e-bad\",\"dataset\":\"cifar-10\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (client.deadLetters().stream().noneMatch(d -> d.payload().contains("e2e-bad"))) {
            assertTrue(System.nanoTime() < deadline, "no dead letter for the bad request");
            LocalKafka.sleep(250);
        }
        RunClient.DeadLetter d = client.deadLetters().stream().filter(x -> x.payload().contains("e2e-bad")).findFirst().orElseThrow();
        assertEquals(Topics.TRAINING_REQUESTS, d.topic());
        assertTrue(d.reason().contains("unknown dataset 'cifar-10'"), d.reason());
        assertTrue(pipeline.service("trainer-service").isAlive());
    }

    @Test
    void theEvaluatorsRunAheadOfTheOtherServicesOnTheCpu() throws java.io.IOException {
        assertEquals(0, nice(pipeline.service("evaluator-service").pid()));
        assertEquals(ChildProcess.BACKGROUND_NICE, nice(pipeline.service("trainer-service").pid()));
        assertEquals(ChildProcess.BACKGROUND_NICE, nice(pipeline.service("pruner-service").pid()));
        assertTrue(ChildProcess.BACKGROUND_NICE > 0, "the default leaves the background children lower");
    }

    /** The process's nice value: field 19 of /proc/PID/stat, counted after the command name's closing parenthesis. */
    private static int nice(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
