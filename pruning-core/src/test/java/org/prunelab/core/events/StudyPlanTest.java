package org.prunelab.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.core.Json;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ResultLedger;

class StudyPlanTest {
    private static TrainingRequest request(String json) {
        return Json.read(json, TrainingRequest.class).complete();
    }

    @Test
    void countsEveryVariantOfEverySeed() {
        List<Double> p = List.of(0.0, 50.0, 90.0);
        assertEquals(6, StudyPlan.expectedVariants(Method.DEFAULTS, p, false, 1, FineTuning.NONE));
        assertEquals(8, StudyPlan.expectedVariants(Method.DEFAULTS, p, true, 1, FineTuning.NONE));
        assertEquals(3, StudyPlan.expectedVariants(List.of(Method.NEURON), p, false, 1, FineTuning.NONE));
        // two seeds, fine-tuning: per seed 2 x 3 one-shot + 2 x 3 fine-tuned + 2 from scratch
        assertEquals(2 * (6 + 6 + 2), StudyPlan.expectedVariants(Method.DEFAULTS, p, true, 2, new FineTuning(1, 1e-3)));
    }

    @Test
    void aRequestStartsWithEachSeedsModelAndScratchNetworksAndFineTunesEveryVariant() {
        TrainingRequest r = request("{\"runId\":\"r\",\"seeds\":[1,2],\"percentages\":[0,50],\"baseline\":true,"
                + "\"fineTuneEpochs\":2}");
        assertEquals(List.of(1L, 2L), r.seeds());
        assertEquals(1L, r.seed());
        assertEquals(new FineTuning(2, FineTuning.DEFAULT_LEARNING_RATE), r.fineTuning());
        List<TrainingJob> first = StudyPlan.firstJobs(r);
        assertEquals(List.of("r/s1/model", "r/s2/model", "r/s1/scratch/50", "r/s2/scratch/50"),
                first.stream().map(TrainingJob::key).toList());
        assertEquals(2L, first.get(1).training().seed(), "each seed's model trains from its seed");
        assertEquals(List.of(500, 500, 250, 100), first.get(2).training().hiddenSizes());
        assertEquals(2 * (2 * 2 * 2 + 1), first.get(0).expectedVariants());
        List<String> all = StudyPlan.jobKeys(r);
        assertEquals(4 + 2 * 2 * 2, all.size());
        assertTrue(all.contains("r/s2/neuron/50/fine-tuned"), all.toString());
        assertEquals(Json.read(Json.write(first.get(0)), TrainingJob.class), first.get(0), "a job reads as written");
    }

    @Test
    void seedsAndFineTuningAreCheckedWithReasons() {
        assertEquals(List.of(42L), request("{}").seeds());
        assertEquals(FineTuning.NONE, request("{}").fineTuning());
        assertEquals(request("{\"runId\":\"a\",\"seeds\":[5]}"), request("{\"runId\":\"a\",\"seed\":5}"));
        TrainingRequest two = request("{\"seeds\":[5,6]}");
        assertEquals(two, request(Json.write(two)), "completing a completed request changes nothing");
        assertRefused("{\"seeds\":[1,1]}", "must not repeat");
        assertRefused("{\"seeds\":[]}", "seeds must list 1 to 20");
        assertRefused("{\"seeds\":[1.5]}", "'seeds[0]' must be a whole number");
        assertRefused("{\"seed\":3,\"seeds\":[1,2]}", "give seed or seeds");
        assertRefused("{\"fineTuneEpochs\":-1}", "fineTuneEpochs must be in [0, 1000]");
        assertRefused("{\"fineTuneEpochs\":1,\"fineTuneLearningRate\":0}", "fineTuneLearningRate must be in (0, 10)");
    }

    @Test
    void aLotteryRequestPlansItsRoundsAndControlsRoundByRound() {
        TrainingRequest r = request("{\"runId\":\"l\",\"lottery\":{\"rounds\":3}}");
        // the lottery's own defaults: three seeds, two epochs, the same-weights baseline, one epoch of fine-tuning
        assertEquals(List.of(42L, 43L, 44L), r.seeds());
        assertEquals(2, r.epochs());
        assertTrue(r.baseline());
        assertEquals(1, r.fineTuning().epochs());
        assertEquals(List.of(Method.WEIGHT), r.methods());
        assertEquals(List.of(0.0, 50.0, 75.0, 87.5), r.percentages());
        assertEquals(250, r.config(43).testEvery());
        assertEquals(r, request(Json.write(r)), "completing a completed lottery request changes nothing");
        // per seed: 4 one-shot + 4 fine-tuned + 3 from scratch + 3 rounds x 3 networks
        assertEquals(3 * (4 + 4 + 3 + 9), StudyPlan.expectedVariants(r));
        // the from-scratch networks have as many weights as the round's ticket, not the neuron-pruned sizes
        TrainingJob scratch = StudyPlan.firstJobs(r).stream().filter(j -> j.kind() == JobKind.SCRATCH).findFirst()
                .orElseThrow();
        assertEquals(50.0, scratch.percentage());
        assertEquals(org.prunelab.core.baseline.ScratchBaseline.sameWeightSizes(List.of(1000, 1000, 500, 200), 784,
                10, 50), scratch.training().hiddenSizes());

        TrainingJob model = StudyPlan.firstJobs(r).get(0);
        List<TrainingJob> round1 = StudyPlan.nextLotteryRound(model, "m", "m");
        assertEquals(List.of("l/s42/weight/50/rewound", "l/s42/weight/50/reinitialized", "l/s42/random/50/rewound"),
                round1.stream().map(TrainingJob::key).toList());
        round1.forEach(TrainingJob::validate);
        assertEquals("m", round1.get(0).variantId(), "the first round's mask is pruned from the model");
        assertTrue(StudyPlan.nextLotteryRound(round1.get(1), "m", "x").isEmpty(), "a control leads nowhere");
        List<TrainingJob> round2 = StudyPlan.nextLotteryRound(round1.get(0), "m", "t1");
        assertEquals(75.0, round2.get(0).percentage());
        assertEquals("t1", round2.get(2).variantId(), "the next round's masks are pruned from the ticket");
        List<TrainingJob> round3 = StudyPlan.nextLotteryRound(round2.get(0), "m", "t2");
        assertTrue(StudyPlan.nextLotteryRound(round3.get(0), "m", "t3").isEmpty(), "none after the last round");
        List<String> keys = StudyPlan.jobKeys(r);
        assertTrue(keys.containsAll(round3.stream().map(TrainingJob::key).toList()), keys.toString());
        assertEquals(3 * (1 + 3 + 4 + 9), keys.size());

        // records written before the test points existed still read: tested after each epoch only
        assertEquals(0, Json.read("{\"dataset\":\"mnist\",\"hiddenSizes\":[10],\"epochs\":1,\"batchSize\":1,"
                + "\"learningRate\":0.1,\"seed\":1,\"trainLimit\":0}", org.prunelab.core.model.TrainingConfig.class)
                .testEvery());
        assertRefused("{\"lottery\":{},\"percentages\":[50]}", "a lottery request prunes by weight");
        assertRefused("{\"lottery\":{},\"methods\":[\"neuron\"]}", "a lottery request prunes by weight");
        assertRefused("{\"lottery\":{\"rate\":1.5}}", "lottery.rate");
        assertRefused("{\"lottery\":{\"rounds\":2.5}}", "whole number");
        TrainingJob forged = new TrainingJob("l", JobKind.LOTTERY, 42, r.config(42), null, Method.NEURON, 50.0, "m",
                "m", "m", 1, org.prunelab.core.pruning.Stage.REWOUND, r.lottery());
        assertThrows(IllegalArgumentException.class, forged::validate);
    }

    private static void assertRefused(String json, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> request(json));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aRunIsSettledOnceEveryJobAndEverySeedsPruningIsRecorded(@TempDir Path dir) {
        ResultLedger ledger = new ResultLedger(dir);
        TrainingRequest r = request("{\"runId\":\"r\",\"seeds\":[1,2],\"percentages\":[50],\"baseline\":true}");
        assertFalse(StudyPlan.settled(ledger, "r", 1), "a re-prune run without its pruning");
        ledger.recordIfAbsent(StudyPlan.pruningKey("r", 1), "{}");
        assertTrue(StudyPlan.settled(ledger, "r", 1), "a re-prune of seed 1 (no plan) needs its pruning only");

        ledger.recordIfAbsent(StudyPlan.planKey("r"), Json.write(r));
        assertFalse(StudyPlan.settled(ledger, "r", 1), "jobs and seed 2 still to come");
        for (String key : StudyPlan.jobKeys(r)) {
            ledger.recordIfAbsent(StudyPlan.jobKey(key), "{}");
        }
        assertFalse(StudyPlan.settled(ledger, "r", 1), "seed 2 not pruned");
        ledger.recordIfAbsent(StudyPlan.pruningKey("r", 2), "{}");
        assertTrue(StudyPlan.settled(ledger, "r", 1));
    }
}
