package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.pruning.LayerRule;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.runner.report.LotteryReport;
import org.prunelab.runner.report.ReportWriter;

/**
 * A small lottery experiment against the real broker, posted as a user would: two seeds, two rounds of halving the
 * remaining weights, every control, its training shared by two trainers. Every network must be there once, with
 * the round's sparsity, the controls with the ticket's weight counts, and the report must state its answer.
 */
class LotteryEndToEndTest {

    @Test
    void aLotteryRequestRunsTheRoundsAndEveryControlOnce() throws Exception {
        SharedPipeline lab = SharedPipeline.get();
        lab.pipeline.startService("trainer-service-2");
        lab.pipeline.awaitReady("trainer-service-2", Duration.ofSeconds(120));
        try {
            String run = "lottery-e2e";
            lab.client.post(Topics.TRAINING_REQUESTS, run, "{\"runId\":\"" + run + "\",\"hiddenSizes\":[64,32],"
                    + "\"epochs\":2,\"trainLimit\":6000,\"seeds\":[7,8],\"lottery\":{\"rounds\":2,\"testEvery\":40}}");
            RunResults done = lab.client.await(run, Duration.ofMinutes(8), x -> { });

            Set<String> expected = new TreeSet<>();
            for (long seed : List.of(7L, 8L)) {
                for (double p : List.of(0.0, 50.0, 75.0)) {
                    expected.add(PrunedVariantEvent.key(run, seed, Method.WEIGHT, p, Stage.ONE_SHOT));
                    expected.add(PrunedVariantEvent.key(run, seed, Method.WEIGHT, p, Stage.FINE_TUNED));
                }
                for (double p : List.of(50.0, 75.0)) {
                    expected.add(PrunedVariantEvent.key(run, seed, Method.WEIGHT, p, Stage.REWOUND));
                    expected.add(PrunedVariantEvent.key(run, seed, Method.WEIGHT, p, Stage.REINITIALIZED));
                    expected.add(PrunedVariantEvent.key(run, seed, Method.RANDOM, p, Stage.REWOUND));
                    expected.add(PrunedVariantEvent.key(run, seed, Method.SCRATCH, p, Stage.ONE_SHOT));
                }
            }
            Set<String> keys = done.evaluations().stream().map(EvaluationEvent::key)
                    .collect(Collectors.toCollection(TreeSet::new));
            System.out.printf("[lottery] variants expected %d, results %d, re-evaluated %d, records %d%n",
                    expected.size(), keys.size(), done.reevaluated().size(), done.evaluationRecords());
            assertEquals(expected, keys, "every round and control of every seed once");
            assertEquals(expected.size(), done.expected());
            assertTrue(done.reevaluated().isEmpty(), "evaluated twice: " + done.reevaluated());

            ArtifactStore store = new ArtifactStore(lab.store);
            for (EvaluationEvent e : done.evaluations()) {
                if (!e.stage().lottery()) {
                    continue;
                }
                // the round's schedule, layer by layer, and the output layer whole
                int[] weights = {784 * 64, 64 * 32};
                for (int k = 0; k < 2; k++) {
                    double expectedZeros = LayerRule.count(e.percentage(), weights[k]) / (double) weights[k];
                    assertEquals(expectedZeros, e.sparsity().perLayer().get(k), 1e-9, e.key() + " layer " + k);
                }
                assertEquals(0.0, e.sparsity().perLayer().get(2), e.key() + " output layer");
                assertNotNull(e.bestIteration(), e.key() + " has its training's best iteration");
                assertTrue(e.bestAccuracy() >= e.testAccuracy() - 1e-12, e.key());
                EvaluationEvent ticket = done.evaluations().stream().filter(t -> t.seed() == e.seed()
                        && t.percentage() == e.percentage() && t.method() == Method.WEIGHT
                        && t.stage() == Stage.REWOUND).findFirst().orElseThrow();
                assertEquals(ticket.sparsity().nonZeros(), e.sparsity().nonZeros(), e.key() + " as many weights");
            }
            // the reinitialised network has the ticket's mask exactly; the random mask another one
            for (long seed : List.of(7L, 8L)) {
                float[] ticket = layer0(store, done, seed, Method.WEIGHT, Stage.REWOUND);
                float[] reinit = layer0(store, done, seed, Method.WEIGHT, Stage.REINITIALIZED);
                float[] random = layer0(store, done, seed, Method.RANDOM, Stage.REWOUND);
                int sameMask = 0;
                int differ = 0;
                for (int i = 0; i < ticket.length; i++) {
                    sameMask += (ticket[i] == 0f) == (reinit[i] == 0f) ? 1 : 0;
                    differ += (ticket[i] == 0f) != (random[i] == 0f) ? 1 : 0;
                }
                assertEquals(ticket.length, sameMask, "seed " + seed + ": the reinitialised network keeps the mask");
                assertTrue(differ > ticket.length / 4, "seed " + seed + ": the random mask is another one");
            }
            // one-shot variants have no training of their own; the dense model at 0 % has
            assertTrue(done.evaluations().stream().filter(e -> e.stage() == Stage.ONE_SHOT
                    && e.method() == Method.WEIGHT && e.percentage() > 0).allMatch(e -> e.bestIteration() == null));

            List<String> answer = LotteryReport.sentences(done.evaluations());
            System.out.println("[lottery] " + String.join("\n[lottery] ", answer));
            assertTrue(answer.get(0).startsWith("The rewound ticket"), answer.toString());
            assertTrue(answer.stream().anyMatch(s -> s.contains("reinitialised control")), answer.toString());
            Path dir = Files.createTempDirectory("lottery-report");
            ReportWriter.write(done, store.getModel(done.trained().modelId()).mlp(), dir);
            String md = Files.readString(dir.resolve("report.md"));
            assertTrue(md.contains("## The lottery ticket") && md.contains("| 75 | 25.") , md);
            assertTrue(Files.size(dir.resolve("lottery-accuracy.png")) > 10_000);
            assertTrue(Files.size(dir.resolve("lottery-best-iteration.png")) > 10_000);
        } finally {
            lab.pipeline.stopService("trainer-service-2");
        }
    }

    /** The first hidden layer of the 75 % network of one seed, method and stage, read from the store. */
    private static float[] layer0(ArtifactStore store, RunResults done, long seed, Method method, Stage stage) {
        EvaluationEvent e = done.evaluations().stream().filter(x -> x.seed() == seed && x.percentage() == 75
                && x.method() == method && x.stage() == stage).findFirst().orElseThrow();
        ModelArtifact a = store.getModel(e.variantId());
        return a.mlp().layer(0).weights();
    }
}
