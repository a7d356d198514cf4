package org.prunelab.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that run one body together, each with its own part number, and meet at
 * {@link #sync()} between phases. The caller is part 0. Waiting spins first (a batch-64 training step has a phase
 * every few hundred microseconds, far shorter than a park/unpark round trip) and parks when idle for longer, so a
 * team between epochs costs no core: helpers waiting for the next body park until {@link #run} wakes them. One team
 * per trainer: OpenBLAS runs single-threaded inside each part, which is what keeps the threads of two pools from
 * fighting over two cores. Inference over batch tiles shares one team per size ({@link #shared}).
 */
public final class Team implements AutoCloseable {
    private static final long SPIN_NANOS = 200_000;
    private static final Map<Integer, Team> SHARED = new ConcurrentHashMap<>();

    private final int size;
    private final List<Thread> helpers = new ArrayList<>();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile int job;
    private volatile IntConsumer body;
    private volatile boolean closed;
    private final AtomicInteger done = new AtomicInteger();
    private volatile Throwable failure;

    Team(int size) {
        this(size, "trainer-part-");
    }

    private Team(int size, String name) {
        this.size = Math.max(1, size);
        for (int t = 1; t < this.size; t++) {
            int part = t;
            Thread h = new Thread(() -> helperLoop(part), name + t);
            h.setDaemon(true);
            helpers.add(h);
            h.start();
        }
    }

    /**
     * The process's team of {@code size} for inference, made on first use and never closed (idle, its helpers are
     * parked). Callers that may run at once take turns ({@link #run} is synchronized).
     */
    public static Team shared(int size) {
        return SHARED.computeIfAbsent(size, n -> new Team(n, "tiles-part-"));
    }

    public int size() {
        return size;
    }

    /**
     * Runs body(part) on every part and returns when all are done; a part's exception is rethrown here. Callers on
     * other threads wait their turn (a shared team's), and a body must not call it again.
     */
    public synchronized void run(IntConsumer body) {
        if (size == 1) {
            body.accept(0);
            return;
        }
        this.body = body;
        done.set(0);
        failure = null;
        job++; // publishes body to the helpers
        // a helper past its spin is parked until woken (one still spinning keeps the permit for its next park)
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        try {
            body.accept(0);
        } catch (Throwable e) {
            failure = e;
        }
        waitFor(() -> done.get() == size - 1, false);
        if (failure != null) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
    }

    /** Waits until every part has reached this point of the current body. */
    void sync() {
        if (size == 1) {
            return;
        }
        int p = phase;
        if (arrived.incrementAndGet() == size) {
            arrived.set(0);
            phase = p + 1;
        } else {
            waitFor(() -> phase != p || failure != null, false);
            if (failure != null && phase == p) {
                throw new IllegalStateException("another part failed", failure);
            }
        }
    }

    private void helperLoop(int part) {
        int seen = 0;
        while (true) {
            int s = seen;
            // idle between bodies for as long as the caller likes: parked until run() or close() unparks it
            waitFor(() -> job != s || closed, true);
            if (closed) {
                return;
            }
            seen = job;
            try {
                body.accept(part);
            } catch (Throwable e) {
                failure = e;
            }
            done.incrementAndGet();
        }
    }

    /**
     * Spins a while, then parks: until unparked where {@code woken} (the waiter is woken by whoever makes it ready;
     * a helper that polled between bodies instead woke 20,000 times a second for as long as the team was idle), else
     * 50 microseconds at a time (waits within a body, which are short).
     */
    private static void waitFor(java.util.function.BooleanSupplier ready, boolean woken) {
        long start = System.nanoTime();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else if (woken) {
                LockSupport.park();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        for (Thread h : helpers) {
            try {
                h.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
