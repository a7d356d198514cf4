package org.prunelab.core.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLeaseTest {
    @Test
    void aLiveLeaseKeepsOthersOutAndAnAbandonedOneIsTakenOver(@TempDir Path store) throws Exception {
        Duration stale = Duration.ofMillis(800);
        try (JobLease first = JobLease.tryAcquire(store, "r/s1/model", "a", stale).orElseThrow()) {
            Thread.sleep(1200); // longer than stale: its holder renews it meanwhile
            assertTrue(JobLease.tryAcquire(store, "r/s1/model", "b", stale).isEmpty(), "held and renewed");
            assertTrue(JobLease.tryAcquire(store, "r/s1/other", "b", stale).isPresent(), "another job is free");
        }
        JobLease.tryAcquire(store, "r/s1/model", "b", stale).orElseThrow().close(); // released: free again
        JobLease abandoned = JobLease.tryAcquire(store, "r/s2/model", "c", Duration.ofDays(1)).orElseThrow();
        // a holder that renews every 6 hours stands for a dead one here: the lease is stale for an 800 ms reader
        Thread.sleep(1000);
        assertTrue(JobLease.tryAcquire(store, "r/s2/model", "d", stale).isPresent(), "taken over once stale");
        abandoned.close();
    }
}
