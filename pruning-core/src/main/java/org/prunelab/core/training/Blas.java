package org.prunelab.core.training;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's single-precision gemm, called through the JDK's foreign-function API on memory segments. The library is
 * the one ND4J already ships and loads (through JavaCPP); calling it directly skips ND4J's per-op dispatch, which
 * dominated batch-64 training (see {@link GemmNetwork}). Row-major throughout. The call is "critical" with heap access,
 * so that inference can hand it Java arrays (the test set where it lies) without copying them to native memory.
 */
public final class Blas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private static final MethodHandle SGEMM;
    private static final MethodHandle SET_THREADS;
    private static final MethodHandle CORE_NAME;
    /** Why OpenBLAS could not be reached, or null when it was. */
    private static final String UNAVAILABLE;

    static {
        MethodHandle sgemm = null;
        MethodHandle setThreads = null;
        MethodHandle coreName = null;
        String unavailable = null;
        try {
            // LAB_OPENBLAS_LIBRARY: another OpenBLAS build to use instead (a path to its libopenblas.so)
            String override = System.getenv("LAB_OPENBLAS_LIBRARY");
            if (override == null) {
                Loader.load(openblas_nolapack.class);
            }
            String path = override != null ? override : Loader.getLoadedLibraries().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("openblas")).map(java.util.Map.Entry::getValue)
                    .filter(v -> v.contains("libopenblas")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("OpenBLAS was not loaded by JavaCPP: "
                            + Loader.getLoadedLibraries()));
            SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), Arena.global());
            Linker linker = Linker.nativeLinker();
            ValueLayout i = ValueLayout.JAVA_INT;
            ValueLayout f = ValueLayout.JAVA_FLOAT;
            ValueLayout p = ValueLayout.ADDRESS;
            sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                    FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), Linker.Option.critical(true));
            setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(i));
            coreName = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                    FunctionDescriptor.of(p));
        } catch (RuntimeException | LinkageError e) {
            unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        SGEMM = sgemm;
        SET_THREADS = setThreads;
        CORE_NAME = coreName;
        UNAVAILABLE = unavailable;
    }

    /** Why OpenBLAS cannot be called on this machine (a missing or foreign library), or null when it can. */
    public static String unavailable() {
        return UNAVAILABLE;
    }

    private Blas() {
    }

    /**
     * C[m x n] = beta C + A' B', where A' is A [m x k] or, transposed, A [k x m] (likewise B' of [k x n]); the leading
     * dimensions are the row lengths of the stored matrices.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                             MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f, a, lda,
                    b, ldb, beta, c, ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** OpenBLAS's own thread count (process-wide); the trainer keeps it at 1 and splits the work itself. */
    public static void threads(int n) {
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    /** The kernel family OpenBLAS chose for this CPU (e.g. SkylakeX, Haswell), for benchmark reports. */
    public static String coreName() {
        if (CORE_NAME == null) {
            return "unavailable";
        }
        try {
            MemorySegment s = (MemorySegment) CORE_NAME.invokeExact();
            return s.reinterpret(64).getString(0);
        } catch (Throwable e) {
            return "unknown";
        }
    }
}
