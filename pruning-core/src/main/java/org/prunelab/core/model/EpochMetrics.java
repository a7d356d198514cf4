package org.prunelab.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Test-set figures after one training epoch.
 *
 * @param iteration the iterations (batches) trained by the epoch's end, counted from the training's start (0 in
 *                  records from before it was kept)
 * @param tests     test figures measured within the epoch every {@link TrainingConfig#testEvery()} iterations (the
 *                  epoch's end is the record itself); empty when none were asked for
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
                           Long iteration, List<TestPoint> tests) {

    public EpochMetrics {
        iteration = iteration == null ? 0L : iteration;
        tests = tests == null ? List.of() : List.copyOf(tests);
    }

    public EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds) {
        this(epoch, trainLoss, testLoss, testAccuracy, seconds, 0L, List.of());
    }

    /** Test figures after {@code iteration} iterations of a training. */
    public record TestPoint(long iteration, double loss, double accuracy) {
    }

    /**
     * The best test accuracy of a training and the first iteration that reached it, over every point measured: the
     * "learns faster" figure of the lottery experiment. Empty for a history without iteration counts.
     */
    public static java.util.Optional<TestPoint> best(List<EpochMetrics> history) {
        TestPoint best = null;
        for (EpochMetrics e : history) {
            if (e.iteration() <= 0) {
                return java.util.Optional.empty();
            }
            List<TestPoint> points = new java.util.ArrayList<>(e.tests());
            points.add(new TestPoint(e.iteration(), e.testLoss(), e.testAccuracy()));
            for (TestPoint p : points) {
                if (best == null || p.accuracy() > best.accuracy()) {
                    best = p;
                }
            }
        }
        return java.util.Optional.ofNullable(best);
    }
}
