package org.prunelab.core.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Several independent trainings side by side, each on its own lane (a thread with its share of the cores), the
 * costliest first so that the lanes finish close together. Small networks cannot use two cores in one training (a
 * layer narrower than a few hundred columns is not worth splitting), but two of them train at once.
 */
public final class Lanes {
    private Lanes() {
    }

    /** The lanes {@code threads} threads make when {@code asked} for: at least one, at most one per thread. */
    public static int effective(int asked, int threads) {
        return Math.max(1, Math.min(asked, threads));
    }

    /**
     * {@code work(item, threads per lane)} applied to every item on {@link #effective} lanes sharing {@code threads},
     * largest {@code cost} first; the results in the items' order. The first failure is thrown once all lanes have
     * stopped.
     */
    public static <I, O> List<O> map(List<I> items, ToDoubleFunction<I> cost, int asked, int threads,
                                     BiFunction<I, Integer, O> work) {
        int lanes = effective(asked, threads);
        int each = Math.max(1, threads / lanes);
        return map(items, cost, lanes, i -> work.apply(i, each));
    }

    private static <I, O> List<O> map(List<I> items, ToDoubleFunction<I> cost, int lanes, Function<I, O> work) {
        if (lanes <= 1 || items.size() <= 1) {
            return items.stream().map(work).toList();
        }
        List<Integer> order = IntStream.range(0, items.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> cost.applyAsDouble(items.get(i))).reversed())
                .toList();
        List<Future<O>> futures = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(lanes, items.size()), r -> {
            Thread t = new Thread(r, "training-lane");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i : order) {
                futures.set(i, pool.submit(() -> work.apply(items.get(i))));
            }
            List<O> out = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<O> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    out.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while training", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Weights of a network of these layer sizes: what one training step costs, in proportion. */
    public static double weights(List<Integer> sizes) {
        double w = 0;
        for (int k = 0; k + 1 < sizes.size(); k++) {
            w += (double) sizes.get(k) * sizes.get(k + 1);
        }
        return w;
    }
}
