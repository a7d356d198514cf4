package org.prunelab.core.model;

/** Test-set figures after one training epoch. */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
}
