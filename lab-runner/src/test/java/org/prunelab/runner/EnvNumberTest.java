package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvNumberTest {
    @Test
    void aBackgroundNiceOutsideZeroToNineteenIsRefusedWithItsRange() {
        assertEquals(19, ChildProcess.NICE_SETTING.parse(null));
        assertEquals(19, ChildProcess.NICE_SETTING.parse(" "));
        assertEquals(5, ChildProcess.NICE_SETTING.parse(" 5 "));
        assertEquals(19, ChildProcess.NICE_SETTING.parse("19"));
        for (String bad : List.of("-1", "20", "2.5", "high")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChildProcess.NICE_SETTING.parse(bad));
            assertTrue(e.getMessage().contains("PRUNELAB_BACKGROUND_NICE") && e.getMessage().contains("from 0 to 19")
                    && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void theRunnersFetchWaitIsReadLikeTheServicesAndBoundedByTheRequestTimeout() {
        assertEquals(5000, RunClient.FETCH_WAIT.parse(null));
        assertEquals(500, RunClient.FETCH_WAIT.parse("500"));
        assertEquals(0, RunClient.FETCH_WAIT.parse("0"));
        for (String bad : List.of("30001", "-5", "1e3", "5 s")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunClient.FETCH_WAIT.parse(bad));
            assertTrue(e.getMessage().contains("LAB_KAFKA_FETCH_WAIT_MS") && e.getMessage().contains("0 to 30000"),
                    e.getMessage());
        }
    }

    @Test
    void aDefaultOutsideItsOwnRangeIsAMistakeInTheCode() {
        assertThrows(IllegalArgumentException.class, () -> new EnvNumber("X", 20, 0, 19));
    }
}
