package org.prunelab.core.inference;

/**
 * Repeated timings of one inference form over the whole test set, after warm-up.
 *
 * @param batchSize rows per forward call
 * @param threads   native/Java threads the form ran with
 * @param way       how it used them ({@link InferenceForm#way()})
 */
public record Timing(String form, int batchSize, int threads, int repetitions, double wallMedianMs, double wallMinMs,
                     double wallMaxMs, double cpuMedianMs, double cpuMinMs, double cpuMaxMs, String way) {
}
