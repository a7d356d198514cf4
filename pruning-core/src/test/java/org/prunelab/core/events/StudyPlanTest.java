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
