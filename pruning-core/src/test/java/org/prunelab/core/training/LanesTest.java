package org.prunelab.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void resultsComeInTheItemsOrderWhateverOrderTheyRanIn() {
        ConcurrentLinkedQueue<Integer> started = new ConcurrentLinkedQueue<>();
        List<Integer> items = List.of(1, 5, 3, 4, 2);
        List<Integer> out = Lanes.map(items, i -> i, 1, 1, (i, each) -> {
            started.add(i);
            return i * 10;
        });
        assertEquals(List.of(10, 50, 30, 40, 20), out);
        assertEquals(List.of(1, 5, 3, 4, 2), List.copyOf(started), "one lane: in order, nothing reordered");

        started.clear();
        // neither of the first two items finishes before both have started, so they are the first two taken
        CountDownLatch firstTwo = new CountDownLatch(2);
        out = Lanes.map(items, i -> i, 2, 2, (i, each) -> {
            started.add(i);
            firstTwo.countDown();
            try {
                firstTwo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return i * 10;
        });
        assertEquals(List.of(10, 50, 30, 40, 20), out);
        assertEquals(java.util.Set.of(5, 4), java.util.Set.copyOf(List.copyOf(started).subList(0, 2)),
                "two lanes: the costliest first");
    }

    @Test
    void twoLanesRunTwoItemsAtOnce() {
        // each item waits until two are running: with one lane at a time this would time out
        CountDownLatch both = new CountDownLatch(2);
        AtomicInteger together = new AtomicInteger();
        Lanes.map(List.of(1, 2), i -> i, 2, 2, (i, each) -> {
            both.countDown();
            try {
                if (both.await(10, TimeUnit.SECONDS)) {
                    together.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return i;
        });
        assertEquals(2, together.get());
    }

    @Test
    void aFailureIsThrownAfterTheOtherLanesFinish() {
        AtomicInteger finished = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lanes.map(List.of(1, 2, 3, 4), i -> i, 2, 2, (i, each) -> {
                    if (i == 3) {
                        throw new IllegalArgumentException("network " + i + " failed");
                    }
                    finished.incrementAndGet();
                    return i;
                }));
        assertEquals("network 3 failed", e.getMessage());
        assertEquals(3, finished.get(), "the other three still trained");
    }

    @Test
    void theThreadsAreSharedOutAmongTheLanes() {
        assertEquals(List.of(1, 1), Lanes.map(List.of(1, 2), i -> i, 2, 2, (i, each) -> each));
        assertEquals(List.of(2, 2), Lanes.map(List.of(1, 2), i -> i, 1, 2, (i, each) -> each));
        assertEquals(2, Lanes.effective(3, 2), "no more lanes than threads");
        assertEquals(1, Lanes.effective(0, 2), "at least one lane");
    }

    @Test
    void weightsCountEveryLayer() {
        assertEquals(784.0 * 10 + 10 * 10, Lanes.weights(List.of(784, 10, 10)));
        assertTrue(Lanes.weights(List.of(5)) == 0);
    }
}
