package org.prunelab.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.prunelab.core.Json;
import org.prunelab.core.model.EpochMetrics;

class TrainingProgressTest {
    private static final EpochMetrics M = new EpochMetrics(3, 0.07, 0.08, 0.97, 36.2);

    @Test
    void namesTheNetworkAndKeepsTheJsonToItsFields() {
        String json = Json.write(new TrainingProgress("r", "mnist", "scratch 50%", 3, 10, M, 7L, "trainer-1"));
        assertTrue(json.contains("\"network\":\"scratch 50%\""), json);
        assertFalse(json.contains("describesModel"), json);
        TrainingProgress back = Json.read(json, TrainingProgress.class);
        assertEquals("scratch 50%", back.network());
        assertFalse(back.describesModel());
    }

    @Test
    void aRecordWithoutTheFieldIsOfTheModel() {
        TrainingProgress old = Json.read("{\"runId\":\"r\",\"dataset\":\"mnist\",\"epoch\":1,\"epochs\":2,"
                + "\"metrics\":{\"epoch\":1,\"trainLoss\":0.2,\"testLoss\":0.1,\"testAccuracy\":0.96,\"seconds\":35}}",
                TrainingProgress.class);
        assertTrue(old.describesModel());
        assertTrue(new TrainingProgress("r", "mnist", TrainingProgress.MODEL, 1, 2, M, null, null).describesModel());
    }
}
