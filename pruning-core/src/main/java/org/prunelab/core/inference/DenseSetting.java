package org.prunelab.core.inference;

import java.util.ArrayList;
import java.util.List;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.training.Blas;

/**
 * How a dense-based form (the dense baseline, the compacted network) runs on {@code threads} threads: at which batch
 * size and, above one thread, whether the batches are shared out among threads ({@link TiledForm}) or every gemm
 * uses OpenBLAS's own threads. Which is fastest depends on the machine and the layer sizes, so it is measured
 * ({@link #fastest}): on one AVX2 machine of this project's kind the full network at 2 threads was fastest on
 * tiles at four sparsities and on OpenBLAS's threads at two, within 5 % of each other. Every OpenBLAS build the
 * process can call ({@link Blas#builds()}) is a candidate too: which is fastest depends on the CPU.
 */
public record DenseSetting(int batch, int threads, boolean tiles, Blas blas) {
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

    /** A setting on the process's standard OpenBLAS build (forms that call no gemm ignore it). */
    public DenseSetting(int batch, int threads, boolean tiles) {
        this(batch, threads, tiles, Blas.unavailable() == null ? Blas.standard() : null);
    }

    /** The form of {@code mlp} this setting describes, named {@code name} ("dense", "compact"). */
    public InferenceForm build(String name, Mlp mlp) {
        if (threads > 1 && tiles) {
            return new TiledForm(() -> new GemmForm(name, mlp, batch, 1, usable()), threads);
        }
        return new GemmForm(name, mlp, batch, threads, usable());
    }

    /** How the setting reads in logs and tables: "OpenBLAS 0.3.31 Cooperlake batch 1000, tiles". */
    public String label() {
        return (blas == null ? "no OpenBLAS" : blas.label()) + " batch " + batch + (threads == 1 ? "" : tiles
                ? ", tiles" : ", blas-threads");
    }

    private Blas usable() {
        if (blas == null) {
            throw new IllegalStateException("OpenBLAS cannot be called directly here: " + Blas.unavailable());
        }
        return blas;
    }

    /**
     * Every setting at {@code threads} on the given builds: each batch size, and above one thread both ways to use
     * the threads.
     */
    public static List<DenseSetting> candidates(List<Integer> batches, int threads, List<Blas> builds) {
        List<DenseSetting> out = new ArrayList<>();
        for (Blas blas : builds) {
            for (int b : batches) {
                out.add(new DenseSetting(b, threads, threads > 1, blas));
                if (threads > 1) {
                    out.add(new DenseSetting(b, threads, false, blas));
                }
            }
        }
        return out;
    }

    /**
     * The setting at which {@code mlp} runs fastest over {@code x} on {@code threads} threads: the candidates are
     * timed in rounds ({@link InferenceTimer#fastest}) over the first two batches' worth of the largest batch per
     * thread (or all {@code count} images, if fewer), and the few close to the fastest again over all of them.
     */
    public static DenseSetting fastest(Mlp mlp, List<Integer> batches, int threads, float[] x, int count) {
        return search(mlp, batches, threads, x, count).best();
    }

    /** {@link #fastest(Mlp, List, int, float[], int)}, with the medians of the settings that came close. */
    public static InferenceTimer.Search<DenseSetting> search(Mlp mlp, List<Integer> batches, int threads, float[] x,
                                                             int count) {
        // a network of skinny layers alone calls no gemm: one build stands for all
        List<Blas> builds = GemmForm.usesGemm(mlp) ? Blas.builds() : Blas.builds().stream().limit(1).toList();
        return search(mlp, batches, threads, x, count, builds);
    }

    /** {@link #fastest(Mlp, List, int, float[], int)} among settings on the given OpenBLAS builds. */
    public static DenseSetting fastest(Mlp mlp, List<Integer> batches, int threads, float[] x, int count,
                                       List<Blas> builds) {
        return search(mlp, batches, threads, x, count, builds).best();
    }

    private static InferenceTimer.Search<DenseSetting> search(Mlp mlp, List<Integer> batches, int threads, float[] x,
                                                              int count, List<Blas> builds) {
        // OpenBLAS's threads help only layers that go through gemm: a network of skinny layers alone would run on
        // one thread while counted as two (the 99 % compacted network timed slower "on 2 threads" than on 1)
        if (builds.isEmpty()) {
            throw new IllegalStateException("OpenBLAS cannot be called directly here: " + Blas.unavailable());
        }
        List<DenseSetting> candidates = candidates(batches, threads, builds).stream()
                .filter(s -> s.threads() == 1 || s.tiles() || GemmForm.usesGemm(mlp)).toList();
        if (candidates.size() == 1) {
            return new InferenceTimer.Search<>(candidates.get(0), java.util.Map.of());
        }
        return InferenceTimer.search(candidates, s -> s.build("dense", mlp), x, searchImages(batches, threads,
                count), count);
    }

    /** Images a search times each candidate on: two batches' worth of the largest batch per thread, at most all. */
    public static int searchImages(List<Integer> batches, int threads, int count) {
        int largest = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return (int) Math.min(count, 2L * largest * threads);
    }
}
