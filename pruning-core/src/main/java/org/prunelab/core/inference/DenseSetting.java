package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Mlp;

/**
 * How a dense-based form (the dense baseline, the compacted network) runs on {@code threads} threads: at which batch
 * size and, above one thread, whether the batches are shared out among threads ({@link TiledForm}) or every gemm
 * uses OpenBLAS's own threads. Which is fastest depends on the machine and the layer sizes, so it is measured
 * ({@link #fastest}): on one AVX2 machine of this project's kind the full network at 2 threads was fastest on
 * tiles at four sparsities and on OpenBLAS's threads at two, within 5 % of each other.
 */
public record DenseSetting(int batch, int threads, boolean tiles) {
    /**
     * The batch sizes tried, unless told otherwise. On one machine of this project's kind the dense test-set pass
     * took 658 ms at batch 64 and 361 ms at 2,000.
     */
    public static final List<Integer> BATCHES = List.of(64, 128, 256, 512, 1000, 2000);

    public DenseSetting {
        if (batch < 1 || threads < 1) {
            throw new IllegalArgumentException("batch and threads must be >= 1, got " + batch + " and " + threads);
        }
    }

    /** The form of {@code mlp} this setting describes, named {@code name} ("dense", "compact"). */
    public InferenceForm build(String name, Mlp mlp) {
        if (threads > 1 && tiles) {
            return new TiledForm(() -> new GemmForm(name, mlp, batch, 1), threads);
        }
        return new GemmForm(name, mlp, batch, threads);
    }

    /** Every setting at {@code threads}: each batch size, and above one thread both ways to use the threads. */
    public static List<DenseSetting> candidates(List<Integer> batches, int threads) {
        List<DenseSetting> out = new ArrayList<>();
        for (int b : batches) {
            out.add(new DenseSetting(b, threads, threads > 1));
            if (threads > 1) {
                out.add(new DenseSetting(b, threads, false));
            }
        }
        return out;
    }

    /**
     * The setting at which {@code mlp} runs fastest over {@code x} on {@code threads} threads: each candidate gets
     * one warm-up and one timed pass over the first two batches' worth of the largest batch per thread (or all
     * {@code count} images, if fewer). Candidates close enough for noise to swap them are close in speed too.
     */
    public static DenseSetting fastest(Mlp mlp, List<Integer> batches, int threads, float[] x, int count) {
        // OpenBLAS's threads help only layers that go through gemm: a network of skinny layers alone would run on
        // one thread while counted as two (the 99 % compacted network timed slower "on 2 threads" than on 1)
        List<DenseSetting> candidates = candidates(batches, threads).stream()
                .filter(s -> s.threads() == 1 || s.tiles() || GemmForm.usesGemm(mlp)).toList();
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return InferenceTimer.fastest(candidates, s -> s.build("dense", mlp), x, searchImages(batches, threads,
                count));
    }

    /** Images a search times each candidate on: two batches' worth of the largest batch per thread, at most all. */
    public static int searchImages(List<Integer> batches, int threads, int count) {
        int largest = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return (int) Math.min(count, 2L * largest * threads);
    }
}
