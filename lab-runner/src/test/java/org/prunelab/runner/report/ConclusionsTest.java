package org.prunelab.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.inference.Timing;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

class ConclusionsTest {

    static final Timing T = new Timing("dense", 64, 1, 7, 100, 100, 100, 100, 100, 100, "single", "", 1);

    /** A row timed at one thread; {@code s}: the speed-up, or the speed-up, its lower and its upper bound. */
    static EvaluationEvent row(Method method, double p, double accuracy, double... s) {
        return timed(method, p, accuracy, List.of(new PairedTiming(1, T, T, s[0], s.length > 1 ? s[1] : s[0],
                s.length > 1 ? s[2] : s[0])));
    }

    static EvaluationEvent timed(Method method, double p, double accuracy, List<PairedTiming> timings) {
        return seeded(method, Stage.ONE_SHOT, p, 1, accuracy, timings);
    }

    static EvaluationEvent seeded(Method method, Stage stage, double p, long seed, double accuracy,
                                  List<PairedTiming> timings) {
        return new EvaluationEvent("r", "m", "v", "mnist", method, p, seed, new Sparsity(List.of(), p / 100, 0, 0), 0,
                0.1, accuracy, method.fastForm().id(), 0, timings, 10, "e", "now", List.of(), stage, p / 100, null, null);
    }

    @Test
    void withSeedsTheAccuracyConclusionsHoldForTheMeansAndSaySo() {
        List<PairedTiming> t = List.of(new PairedTiming(1, T, T, 2, 1.5, 2.5));
        List<EvaluationEvent> rows = new java.util.ArrayList<>();
        double[][] weight = {{0, 0.980, 0.982}, {50, 0.978, 0.974}, {90, 0.960, 0.972}, {99, 0.30, 0.40}};
        double[][] tuned = {{0, 0.981, 0.983}, {50, 0.980, 0.981}, {90, 0.979, 0.975}, {99, 0.90, 0.92}};
        double[][] global = {{0, 0.980, 0.982}, {50, 0.979, 0.975}, {90, 0.930, 0.940}, {99, 0.20, 0.30}};
        double[][] random = {{0, 0.980, 0.982}, {50, 0.950, 0.948}, {90, 0.50, 0.52}, {99, 0.10, 0.12}};
        for (int seed = 1; seed <= 2; seed++) {
            for (double[] r : weight) {
                rows.add(seeded(Method.WEIGHT, Stage.ONE_SHOT, r[0], seed, r[seed], t));
            }
            for (double[] r : tuned) {
                rows.add(seeded(Method.WEIGHT, Stage.FINE_TUNED, r[0], seed, r[seed], t));
            }
            for (double[] r : global) {
                rows.add(seeded(Method.GLOBAL, Stage.ONE_SHOT, r[0], seed, r[seed], t));
            }
            for (double[] r : random) {
                rows.add(seeded(Method.RANDOM, Stage.ONE_SHOT, r[0], seed, r[seed], t));
            }
        }
        List<String> s = Conclusions.sentences(rows);
        // weight one-shot means: 0.981, 0.976, 0.966, 0.35: within 1 point of 0.981 up to 50 % (0.966 is not)
        assertEquals("Weight pruning stays within 1 point of the unpruned accuracy (0.9810 +- 0.0014) up to 50 % and "
                + "within half a point up to 50 % (means over 2 seeds); at 99 % it reaches 0.3500 +- 0.0707.", s.get(0));
        // fine-tuned means: 0.982, 0.9805, 0.977, 0.91 against the unpruned 0.981: half a point up to 90 %
        assertEquals("Weight pruning, fine-tuned, stays within 1 point of the unpruned accuracy (0.9810 +- 0.0014) up "
                + "to 90 % and within half a point up to 90 % (means over 2 seeds); at 99 % it reaches 0.9100 +- "
                + "0.0141.", s.get(1));
        assertTrue(s.get(2).endsWith("(timings of seed 1)."), s.get(2));
        assertTrue(s.contains("Global magnitude pruning against layer-wise weight pruning (one-shot): they differ by "
                + "more than the seeds' spread (the two standard deviations added) at 90 % (-3.1 points); the largest "
                + "difference of the mean accuracies is -10.0 points at 99 % (global minus layer-wise)."), s.toString());
        assertTrue(s.contains("Random pruning (one-shot) falls below magnitude (weight) pruning by (points of mean "
                + "accuracy) 50 %: 2.7, 90 %: 45.6, 99 %: 24.0."), s.toString());
        assertEquals(80, Conclusions.keepsAccuracyUpTo(this.rows, Method.WEIGHT), "one seed: the rows themselves");
    }

    private final List<EvaluationEvent> rows = List.of(
            row(Method.WEIGHT, 0, 0.980, 0.6), row(Method.WEIGHT, 50, 0.978, 0.9), row(Method.WEIGHT, 80, 0.971, 1.5),
            row(Method.WEIGHT, 90, 0.960, 4.0), row(Method.WEIGHT, 99, 0.300, 30),
            row(Method.NEURON, 0, 0.980, 1.0), row(Method.NEURON, 50, 0.969, 2.5), row(Method.NEURON, 80, 0.975, 8));

    @Test
    void accuracyIsKeptUpToTheLastPercentageBeforeTheFirstDropOfMoreThanOnePoint() {
        assertEquals(80, Conclusions.keepsAccuracyUpTo(rows, Method.WEIGHT));  // 0.971 >= 0.970; 0.960 is not
        // neuron 50 % drops 1.1 points; the later recovery at 80 % does not count
        assertEquals(0, Conclusions.keepsAccuracyUpTo(rows, Method.NEURON));
    }

    @Test
    void fastFormWinsFromTheFirstPercentageAfterWhichItAlwaysBeatsDense() {
        assertEquals(80, Conclusions.fastFormWinsFrom(rows, Method.WEIGHT));
        assertEquals(50, Conclusions.fastFormWinsFrom(rows, Method.NEURON)); // 1.0x at 0 % is not a win
        assertTrue(Double.isNaN(Conclusions.fastFormWinsFrom(List.of(row(Method.WEIGHT, 0, 0.9, 0.5)), Method.WEIGHT)));
    }

    @Test
    void aPairedSpeedUpWinsOnlyWhereItsLowerBoundIsAboveOne() {
        // the median says faster from 50 %, but at 50 % some pairs were slower (lower bound 0.9)
        List<EvaluationEvent> rows = List.of(row(Method.WEIGHT, 0, 0.98, 0.8, 0.7, 0.9),
                row(Method.WEIGHT, 50, 0.98, 1.3, 0.9, 1.6), row(Method.WEIGHT, 80, 0.98, 1.5, 1.2, 1.8),
                row(Method.WEIGHT, 99, 0.98, 9.0, 8.0, 10.0));
        assertEquals(80, Conclusions.fastFormWinsFrom(rows, Method.WEIGHT));
        assertEquals("On 1 thread, the CSR sparse form beats dense from 80 % on (1.50x there, 95 % interval "
                + "from 1.20x; 9.00x at 99 %).", Conclusions.sentences(rows).get(1));
        // nowhere above 1 in every pair: said so, with the largest percentage's figures
        List<EvaluationEvent> never = List.of(row(Method.WEIGHT, 0, 0.98, 0.8, 0.7, 0.9),
                row(Method.WEIGHT, 99, 0.98, 1.1, 0.95, 1.3));
        assertEquals("On 1 thread, the CSR sparse form does not beat dense with its 95 % interval above 1 at "
                + "the largest percentage of this run (1.10x, interval 0.95-1.30x at 99 %).",
                Conclusions.sentences(never).get(1));
    }

    @Test
    void eachThreadCountGetsItsOwnSentence() {
        java.util.function.BiFunction<Integer, Double, PairedTiming> at = (threads, x) -> new PairedTiming(threads,
                T, T, x, x * 0.9, x * 1.1);
        List<EvaluationEvent> rows = List.of(
                timed(Method.WEIGHT, 0, 0.98, List.of(at.apply(1, 0.5), at.apply(2, 0.5))),
                timed(Method.WEIGHT, 50, 0.98, List.of(at.apply(1, 1.5), at.apply(2, 1.05))),
                timed(Method.WEIGHT, 90, 0.98, List.of(at.apply(1, 5.0), at.apply(2, 4.0))));
        List<String> s = Conclusions.sentences(rows);
        assertEquals(3, s.size(), s.toString());
        assertTrue(s.get(1).startsWith("On 1 thread, the CSR sparse form beats dense from 50 % on"), s.get(1));
        // at 2 threads 50 % is 1.05x with pairs down to 0.945x: a win only from 90 %
        assertTrue(s.get(2).startsWith("On 2 threads, the CSR sparse form beats dense from 90 % on"), s.get(2));
        assertEquals(90, Conclusions.fastFormWinsFrom(rows, Method.WEIGHT, 2, 1));
    }

    @Test
    void sentencesQuoteTheNumbers() {
        List<String> s = Conclusions.sentences(rows);
        assertEquals("Weight pruning stays within 1 point of the unpruned accuracy (0.9800) up to 80 %.", s.get(0));
        assertEquals("On 1 thread, the CSR sparse form beats dense from 80 % on (1.50x there, 95 % interval "
                + "from 1.50x; 30.00x at 99 %).", s.get(1));
        assertEquals("Neuron pruning stays within 1 point of the unpruned accuracy (0.9800) up to 0 %.", s.get(2));
    }

    @Test
    void fromScratchNetworksAreComparedWithNeuronPruningAndTimeTheNoise() {
        List<EvaluationEvent> withScratch = new java.util.ArrayList<>(rows);
        // within one point at 50 and 90 (0.972 and 0.975 >= 0.970), not at 80 (0.965); ratios of one network 0.8-1.3x
        withScratch.addAll(List.of(row(Method.SCRATCH, 50, 0.972, 1.3), row(Method.SCRATCH, 80, 0.965, 0.8),
                row(Method.SCRATCH, 90, 0.975, 1.0)));
        List<String> s = Conclusions.sentences(withScratch);
        assertEquals("Networks of the neuron-pruned sizes trained from scratch stay within 1 point of the unpruned "
                + "accuracy up to 50 % (neuron pruning without retraining: up to 0 %), and are within it at 2 of their "
                + "3 percentages (the largest: 90 %); at 90 % from scratch reaches 0.9750.", s.get(4));
        assertTrue(s.get(5).contains("range from 0.80x to 1.30x"), s.get(5));
        // weight: 1.5x from 80 % is beyond 1.30x; neuron: 2.5x from 50 % too, so no second clause there
        assertEquals("On 1 thread, the CSR sparse form beats dense from 80 % on (1.50x there, 95 % interval "
                + "from 1.50x; 30.00x at 99 %).", s.get(1));
        assertEquals(50, Conclusions.fastFormWinsFrom(withScratch, Method.NEURON, 1, 1.3));
        withScratch.add(row(Method.SCRATCH, 95, 0.9, 2.0)); // noise up to 2.0x: weight clearly wins only from 90 % (4.0x)
        assertEquals("On 1 thread, the CSR sparse form beats dense from 80 % on (1.50x there, 95 % interval "
                + "from 1.50x; 30.00x at 99 %); by more than the timing noise (2.00x) from 90 % on.",
                Conclusions.sentences(withScratch).get(1));
        assertEquals(4, Conclusions.sentences(rows).size(), "no from-scratch sentences without from-scratch rows");
    }
}
