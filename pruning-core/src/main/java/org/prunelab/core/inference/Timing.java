package org.prunelab.core.inference;

/**
 * Repeated timings of one inference form over the whole test set, after warm-up.
 *
 * @param batchSize rows per forward call
 * @param threads   native/Java threads the form ran with
 * @param way       how it used them ({@link InferenceForm#way()})
 * @param blas      the OpenBLAS build its gemm layers called ({@link InferenceForm#blas()}; "" for none, null in
 *                  records written before builds were told apart)
 * @param passes    passes over the set each repetition ran, its time divided by them: a short fast form runs as
 *                  many as balance one dense pass ({@link InferenceTimer#pairAll}); null in records written before
 */
public record Timing(String form, int batchSize, int threads, int repetitions, double wallMedianMs, double wallMinMs,
                     double wallMaxMs, double cpuMedianMs, double cpuMinMs, double cpuMaxMs, String way,
                     String blas, Integer passes) {
}
