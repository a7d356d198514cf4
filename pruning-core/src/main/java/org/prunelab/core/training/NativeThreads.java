package org.prunelab.core.training;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets how many threads ND4J's native code (OpenMP ops and OpenBLAS gemm) may use. Measured on the
 * 2-core machines this project runs on, batch-64 training is faster with one thread than with two: the
 * matrices of a 64-row batch are too small to amortise the threads' synchronisation. Launch scripts also
 * export OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, which take effect before the libraries load.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    /**
     * @param opsThreads  threads for ND4J's element-wise ops (the Adam update among them); 0 keeps the default
     * @param blasThreads threads for OpenBLAS gemm; 0 keeps the default
     */
    public static void configure(int opsThreads, int blasThreads) {
        if (opsThreads > 0) {
            Nd4j.getEnvironment().setMaxThreads(opsThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(opsThreads);
        }
        if (blasThreads > 0) {
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
    }

    public static int current() {
        return Nd4j.factory().blas().getMaxThreads();
    }
}
