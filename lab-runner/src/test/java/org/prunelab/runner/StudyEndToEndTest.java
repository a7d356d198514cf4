package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * A study beyond one-shot pruning against the real broker: two seeds, all four methods, fine-tuning and the
 * from-scratch baseline, its training shared by two trainers through the training-jobs topic, and one trainer killed
 * in the middle of a job. Every result must be there once, and the killed job must go on from its checkpoint.
 */
class StudyEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    @Test
    void twoSeedsFineTuningAndFourMethodsSharedByTwoTrainersSurviveAKilledTrainer() {
        SharedPipeline lab = SharedPipeline.get();
        lab.pipeline.startService("trainer-service-2");
        lab.pipeline.awaitReady("trainer-service-2", Duration.ofSeconds(120));
        try {
            String run = "study-seeds";
            // all 60,000 images of a small network: 0.7 s an epoch, so that 8 epochs leave time to kill mid-job
            lab.client.post(Topics.TRAINING_REQUESTS, run, "{\"runId\":\"" + run + "\",\"hiddenSizes\":[64,32],"
                    + "\"epochs\":8,\"seeds\":[7,8],\"methods\":[\"weight\",\"neuron\",\"global\",\"random\"],"
                    + "\"percentages\":[0,50,90],\"baseline\":true,\"fineTuneEpochs\":1}");
            RunResults r = lab.client.run(run);
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (r.progress().stream().noneMatch(p -> p.describesModel() && p.epoch() == 1)) {
                assertTrue(System.nanoTime() < deadline, "no model epoch reported");
                LocalKafka.sleep(20);
            }
            TrainingProgress first = r.progress().stream().filter(p -> p.describesModel() && p.epoch() == 1)
                    .findFirst().orElseThrow();
            String victim = serviceOf(lab, first.trainer());
            int restarts = lab.pipeline.restarts(victim);
            lab.pipeline.kill(victim);

            RunResults done = lab.client.await(run, RUN_TIMEOUT, x -> { });
            // per seed: 4 methods x 3 percentages, one-shot and fine-tuned, and the 2 from-scratch networks
            Set<String> expected = new TreeSet<>();
            for (long seed : List.of(7L, 8L)) {
                for (Method m : List.of(Method.WEIGHT, Method.NEURON, Method.GLOBAL, Method.RANDOM)) {
                    for (double p : List.of(0.0, 50.0, 90.0)) {
                        for (Stage stage : Stage.GRID) {
                            expected.add(PrunedVariantEvent.key(run, seed, m, p, stage));
                        }
                    }
                }
                expected.add(PrunedVariantEvent.key(run, seed, Method.SCRATCH, 50, Stage.ONE_SHOT));
                expected.add(PrunedVariantEvent.key(run, seed, Method.SCRATCH, 90, Stage.ONE_SHOT));
            }
            Set<String> keys = done.evaluations().stream().map(EvaluationEvent::key)
                    .collect(Collectors.toCollection(TreeSet::new));
            List<String> trainers = done.progress().stream().map(TrainingProgress::trainer).distinct().toList();
            List<Integer> killedJob = done.progress().stream().filter(p -> p.describesModel()
                    && first.seed().equals(p.seed())).map(TrainingProgress::epoch).sorted().toList();
            System.out.printf("[study] %s killed mid-job: restarts %d; variants expected %d, results %d, "
                            + "re-evaluated %d, evaluation records %d; trainers %s; epochs reported by the killed "
                            + "model job %s%n", victim, lab.pipeline.restarts(victim) - restarts, expected.size(),
                    keys.size(), done.reevaluated().size(), done.evaluationRecords(), trainers, killedJob);
            assertEquals(expected, keys, "every seed, method, percentage and stage once");
            assertEquals(expected.size(), done.expected());
            assertTrue(done.reevaluated().isEmpty(), "evaluated twice: " + done.reevaluated());
            assertEquals(1, lab.pipeline.restarts(victim) - restarts, "restarted once by the supervisor");
            assertEquals(2, done.trainedModels().size(), "a model per seed");
            assertTrue(trainers.size() >= 2, "both trainers trained: " + trainers);
            // the killed model job went on from its checkpoint: its first epoch was not trained (reported) again
            assertEquals(1, killedJob.stream().filter(e -> e == 1).count(), "epochs reported " + killedJob);
            assertEquals(8, killedJob.get(killedJob.size() - 1), "the job finished: " + killedJob);

            for (EvaluationEvent tuned : done.evaluations().stream().filter(e -> e.stage() == Stage.FINE_TUNED)
                    .toList()) {
                EvaluationEvent oneShot = done.evaluations().stream().filter(e -> e.stage() == Stage.ONE_SHOT
                        && e.seed() == tuned.seed() && e.method() == tuned.method()
                        && e.percentage() == tuned.percentage()).findFirst().orElseThrow();
                // the mask held: the fine-tuned variant keeps the one-shot one's zeros (and no more)
                assertEquals(oneShot.sparsity().nonZeros(), tuned.sparsity().nonZeros(), tuned.key());
                assertTrue(!oneShot.variantId().equals(tuned.variantId()), tuned.key() + " was retrained");
                if (tuned.method() == Method.RANDOM && tuned.percentage() == 90) {
                    // random pruning at 90 % breaks the network; an epoch with its mask repairs much of it
                    assertTrue(tuned.testAccuracy() > oneShot.testAccuracy(), tuned.key() + ": "
                            + tuned.testAccuracy() + " vs one-shot " + oneShot.testAccuracy());
                }
            }
            // the table and the conclusions speak of means over the two seeds
            String table = ResultsTable.format(done);
            assertTrue(table.contains("accuracy (mean+-sd)") && table.contains("weight+ft"), table);
            List<String> sentences = org.prunelab.runner.report.Conclusions.sentences(done.evaluations());
            assertTrue(sentences.stream().anyMatch(s -> s.contains("(means over 2 seeds)")), sentences.toString());
            assertTrue(sentences.stream().anyMatch(s -> s.startsWith("Random pruning (one-shot) falls below")),
                    sentences.toString());
        } finally {
            lab.pipeline.stopService("trainer-service-2");
        }
    }

    /** The pipeline's name of the trainer that reported as {@code instance} (host-pid). */
    private static String serviceOf(SharedPipeline lab, String instance) {
        for (String s : List.of("trainer-service", "trainer-service-2")) {
            if (instance != null && instance.endsWith("-" + lab.pipeline.service(s).pid())) {
                return s;
            }
        }
        throw new AssertionError("no trainer process is " + instance);
    }
}
