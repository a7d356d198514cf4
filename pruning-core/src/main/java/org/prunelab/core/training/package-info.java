/**
 * Training: the epoch loop ({@link org.prunelab.core.training.MlpTrainer}) over two engines of the same mathematics
 * ({@link org.prunelab.core.training.TrainingEngine}): gemm, the default (OpenBLAS sgemm through the foreign-function
 * API, Vector API kernels, the work split over a thread team), and DL4J with a Java Adam step, kept as the reference;
 * Xavier initialisation and the per-epoch shuffle from the seed; lanes for trainings side by side; test evaluation,
 * batches and the native thread settings. Used by the trainer service, bin/train and bin/benchmark-training.
 */
package org.prunelab.core.training;
