/**
 * Inference forms and their timing: the dense network (one gemm per layer), the CSR sparse form of a weight-pruned
 * network, the compacted form of a neuron-pruned one ({@link org.prunelab.core.inference.FastForm} names them), any
 * of them over several threads ({@link org.prunelab.core.inference.TiledForm}: the set's batches shared out as the
 * threads go), and
 * {@link org.prunelab.core.inference.InferenceTimer} with its {@link org.prunelab.core.inference.TimingPolicy}: how
 * inference is timed, for the evaluator and the benchmark alike.
 */
package org.prunelab.core.inference;
