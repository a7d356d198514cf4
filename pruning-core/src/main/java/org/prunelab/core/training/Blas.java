package org.prunelab.core.training;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * One OpenBLAS build's single-precision gemm, called through the JDK's foreign-function API on memory segments;
 * calling it directly skips ND4J's per-op dispatch, which dominated batch-64 training (see {@link GemmNetwork}).
 * Row-major throughout. The call is "critical" with heap access, so that inference can hand it Java arrays (the test
 * set where it lies) without copying them to native memory.
 *
 * <p>Two builds are available ({@link #builds}): the one ND4J ships and loads through JavaCPP (0.3.19), and a newer
 * one this module ships (its libraries are resources of this jar, extracted once to the temporary directory). They
 * differ by CPU: 0.3.19 predates AMD's AVX-512 CPUs and runs its AVX2 kernels there, where the newer build's AVX-512
 * kernels gave the one-thread dense test-set pass 520-620 ms against 490-790 ms (five alternating rounds of 8 passes
 * on an AMD EPYC with AVX-512): faster and steadier. Inference measures both ({@code DenseSetting}); training uses
 * {@link #standard()} (2.01 against 2.03 s per 12,000-image epoch there: alike).
 *
 * <p>OpenBLAS picks its kernels for the CPU when it loads, unless {@code OPENBLAS_CORETYPE} names a family. Where the
 * environment names one, the shipped build is loaded a second time without it, as one more candidate: an AMD EPYC
 * with AVX-512 of this project's kind carried {@code OPENBLAS_CORETYPE=Haswell} in its environment, and the
 * one-thread dense test-set pass took 462-475 ms on the Haswell kernels the variable forced and 249 ms on the
 * Cooperlake kernels the build chose for the CPU (ND4J's 0.3.19 left to itself chose Barcelona's there: 1,087 ms, so
 * it keeps the environment's choice).
 */
public final class Blas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    /** The environment variable that makes OpenBLAS use one kernel family instead of the CPU's. */
    private static final String CORETYPE = "OPENBLAS_CORETYPE";
    /** The newer build's libraries, in the order they must be present beside each other. */
    private static final List<String> SHIPPED_FILES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5",
            "libopenblas.so.0");

    private final String label;
    private final MethodHandle sgemm;
    private final MethodHandle setThreads;

    private Blas(Path library) {
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        Linker linker = Linker.nativeLinker();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), Linker.Option.critical(true));
        setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(i));
        label = describe(linker, lib);
    }

    /** "OpenBLAS 0.3.31 Cooperlake": the build's version and the kernel family it chose for this CPU. */
    private static String describe(Linker linker, SymbolLookup lib) {
        try {
            MethodHandle config = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MethodHandle core = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            String[] words = ((MemorySegment) config.invokeExact()).reinterpret(256).getString(0).split(" ");
            String coreName = ((MemorySegment) core.invokeExact()).reinterpret(64).getString(0);
            return words[0] + " " + words[1] + " " + coreName;
        } catch (Throwable e) {
            return "OpenBLAS (version unknown)";
        }
    }

    /** The builds this process can call, the preferred first; empty where none loads ({@link #unavailable()}). */
    public static List<Blas> builds() {
        return Builds.ALL;
    }

    /**
     * The build training uses: LAB_OPENBLAS_LIBRARY's where set, else the newer shipped one (as fast as ND4J's for
     * training on both kinds of machine measured), else ND4J's.
     */
    public static Blas standard() {
        if (Builds.ALL.isEmpty()) {
            throw new IllegalStateException("OpenBLAS cannot be called directly here: " + Builds.WHY);
        }
        return Builds.ALL.get(0);
    }

    /** Why no OpenBLAS build can be called on this machine (a missing or foreign library), or null when one can. */
    public static String unavailable() {
        return Builds.ALL.isEmpty() ? Builds.WHY : null;
    }

    /** The build's version and the kernel family it chose for this CPU, e.g. "OpenBLAS 0.3.31 Cooperlake". */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * C[m x n] = beta C + A' B', where A' is A [m x k] or, transposed, A [k x m] (likewise B' of [k x n]); the leading
     * dimensions are the row lengths of the stored matrices.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                      MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f, a, lda,
                    b, ldb, beta, c, ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** This build's own thread count (process-wide for the build); the trainer keeps it at 1 and splits the work. */
    public void threads(int n) {
        try {
            setThreads.invokeExact(n);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    /** Loaded on first use: ND4J's build first, so that its JavaCPP loader binds ND4J to its own. */
    private static final class Builds {
        static final List<Blas> ALL;
        static final String WHY;

        static {
            List<Blas> all = new ArrayList<>();
            List<String> why = new ArrayList<>();
            Blas bundled = null;
            try {
                Loader.load(openblas_nolapack.class);
                String path = Loader.getLoadedLibraries().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("openblas")).map(java.util.Map.Entry::getValue)
                        .filter(v -> v.contains("libopenblas")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("OpenBLAS was not loaded by JavaCPP: "
                                + Loader.getLoadedLibraries()));
                bundled = new Blas(Path.of(path));
            } catch (RuntimeException | LinkageError e) {
                why.add("ND4J's: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            // LAB_OPENBLAS_LIBRARY: another OpenBLAS build (a path to its libopenblas.so), used alone
            String override = System.getenv("LAB_OPENBLAS_LIBRARY");
            if (override != null && !override.isBlank()) {
                try {
                    all.add(new Blas(Path.of(override)));
                } catch (RuntimeException | LinkageError e) {
                    why.add("LAB_OPENBLAS_LIBRARY=" + override + ": " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                }
            } else {
                Path shippedPath = null;
                Blas shipped = null;
                try {
                    shippedPath = extractShipped();
                    shipped = new Blas(shippedPath);
                    all.add(shipped);
                } catch (IOException | RuntimeException | LinkageError e) {
                    why.add("shipped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                if (bundled != null) {
                    all.add(bundled);
                }
                String forced = System.getenv(CORETYPE);
                if (shipped != null && forced != null && !forced.isBlank()) {
                    try {
                        Blas detected = loadDetected(shippedPath, forced);
                        if (!detected.label().equals(shipped.label())) {
                            all.add(detected);
                        }
                    } catch (IOException | RuntimeException | LinkageError e) {
                        // the forced kernels remain candidates; say why the CPU's are not
                        System.getLogger(Blas.class.getName()).log(System.Logger.Level.WARNING, "OpenBLAS without "
                                + CORETYPE + "=" + forced + " could not be loaded: " + e);
                    }
                }
            }
            ALL = List.copyOf(all);
            WHY = String.join("; ", why);
        }

        /**
         * The shipped build loaded again with {@code OPENBLAS_CORETYPE} unset while it loads, so that it picks its
         * kernels for this CPU: from a copy of its library (the same file would return the instance already loaded),
         * the variable restored at once. OpenBLAS reads it only when it loads.
         */
        private static Blas loadDetected(Path shipped, String forced) throws IOException {
            Path copy = shipped.resolveSibling("libopenblas-detected.so.0");
            if (!Files.isRegularFile(copy) || Files.size(copy) != Files.size(shipped)) {
                try (InputStream in = Files.newInputStream(shipped)) {
                    writeAtomically(in, copy);
                }
            }
            Linker linker = Linker.nativeLinker();
            MethodHandle unsetenv = linker.downcallHandle(linker.defaultLookup().find("unsetenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment name = arena.allocateFrom(CORETYPE);
                int unset = (int) unsetenv.invokeExact(name);
                if (unset != 0) {
                    throw new IllegalStateException("unsetenv(" + CORETYPE + ") failed");
                }
                try {
                    return new Blas(copy);
                } finally {
                    int set = (int) setenv.invokeExact(name, arena.allocateFrom(forced), 1);
                    if (set != 0) {
                        throw new IllegalStateException("setenv(" + CORETYPE + ") failed");
                    }
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        /** The shipped build's libraries in a directory of their own (written once, atomically), its gemm's path. */
        private static Path extractShipped() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Blas.class.getResourceAsStream("openblas-shipped.properties")) {
                if (in == null) {
                    throw new IOException("openblas-shipped.properties is not in this build");
                }
                p.load(in);
            }
            String version = p.getProperty("version");
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "prunelab-openblas-" + version + "-"
                    + System.getProperty("user.name"));
            Files.createDirectories(dir);
            for (String file : SHIPPED_FILES) {
                String resource = "openblas/" + version + "/" + file;
                try (InputStream in = Blas.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IOException(resource + " is not in this build");
                    }
                    Path target = dir.resolve(file);
                    long size = resourceSize(resource);
                    if (Files.isRegularFile(target) && Files.size(target) == size) {
                        continue;
                    }
                    writeAtomically(in, target);
                }
            }
            return dir.resolve("libopenblas.so.0");
        }

        /** {@code in} into {@code target}: another process may write it at the same time, each its own file renamed. */
        private static void writeAtomically(InputStream in, Path target) throws IOException {
            Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        private static long resourceSize(String resource) throws IOException {
            try {
                return Blas.class.getResource(resource).openConnection().getContentLengthLong();
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
    }
}
