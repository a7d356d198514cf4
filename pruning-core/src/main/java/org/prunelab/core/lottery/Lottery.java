package org.prunelab.core.lottery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;

/**
 * The lottery-ticket experiment of a request (Frankle &amp; Carbin 2019): per seed, the dense model is pruned
 * iteratively by magnitude, {@code rate} of each hidden layer's remaining weights per round for {@code rounds} rounds;
 * after each round the surviving weights are rewound (to their initial values, or to their values after
 * {@code rewindIteration} iterations of the model's training: "late rewinding") and trained again with the mask
 * fixed. Round r leaves {@code (1 - rate)^r} of each hidden layer; the output layer is not pruned.
 *
 * <p>Every field is optional in a request; {@link #complete()} fills the defaults. They are chosen for time: 5 rounds
 * at half of the remaining weights reach 3.1 % of the hidden weights in as many trainings as Frankle &amp; Carbin's
 * 20 % per round needs to reach 33 %.
 *
 * @param rounds          pruning rounds (1 to {@value #MAX_ROUNDS})
 * @param rate            the share of each hidden layer's remaining weights one round prunes, in (0, 1)
 * @param rewindIteration rewind to the weights after this many iterations of the dense training (0: the initial ones)
 * @param testEvery       measure test accuracy every this many iterations of every training (for the best accuracy
 *                        and when it came); 0 for after each epoch only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lottery(Integer rounds, Double rate, Integer rewindIteration, Integer testEvery) {
    public static final int DEFAULT_ROUNDS = 5;
    public static final double DEFAULT_RATE = 0.5;
    /** About four test points per MNIST epoch of 938 batches. */
    public static final int DEFAULT_TEST_EVERY = 250;
    /** bin/run --lottery --quick: about four test points in a quick epoch of 188 batches. */
    public static final int QUICK_TEST_EVERY = 50;
    /** bin/run --lottery --quick: two seeds (still a spread) and three rounds (to 12.5 %), in a few minutes. */
    public static final List<Long> QUICK_SEEDS = List.of(42L, 43L);
    public static final int QUICK_ROUNDS = 3;
    public static final int MAX_ROUNDS = 30;
    /** What a lottery request trains each network for unless it says: every round is a whole training. */
    public static final int DEFAULT_EPOCHS = 2;
    /** The seeds a lottery request runs unless it names some: the answer needs a spread. */
    public static final List<Long> DEFAULT_SEEDS = List.of(42L, 43L, 44L);
    /** The one-shot control's fine-tuning unless the request asks for another. */
    public static final int DEFAULT_FINE_TUNE_EPOCHS = 1;

    /** A network of a lottery round: how its mask is chosen and what its weights start from. */
    public record Network(Method method, Stage stage) {
    }

    /**
     * The networks every round trains, the ticket first: the magnitude mask on the rewound weights (the ticket), the
     * same mask from fresh initial weights, and a random mask of the same per-layer counts on the rewound weights.
     */
    public static final List<Network> ROUND = List.of(new Network(Method.WEIGHT, Stage.REWOUND),
            new Network(Method.WEIGHT, Stage.REINITIALIZED), new Network(Method.RANDOM, Stage.REWOUND));

    /** Defaults filled in and every field checked, naming the request's fields. */
    public Lottery complete() {
        Lottery l = new Lottery(rounds == null ? DEFAULT_ROUNDS : rounds, rate == null ? DEFAULT_RATE : rate,
                rewindIteration == null ? 0 : rewindIteration, testEvery == null ? DEFAULT_TEST_EVERY : testEvery);
        if (l.rounds < 1 || l.rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("lottery.rounds must be in [1, " + MAX_ROUNDS + "], got " + l.rounds);
        }
        if (!(l.rate > 0 && l.rate < 1)) {
            throw new IllegalArgumentException("lottery.rate (the share of the remaining weights one round prunes) "
                    + "must be in (0, 1), got " + l.rate);
        }
        if (l.rewindIteration < 0) {
            throw new IllegalArgumentException("lottery.rewindIteration must be >= 0, got " + l.rewindIteration);
        }
        if (l.testEvery < 0) {
            throw new IllegalArgumentException("lottery.testEvery must be >= 0 iterations, got " + l.testEvery);
        }
        List<Double> p = l.percentages();
        if (p.get(p.size() - 1) >= 100 || p.stream().distinct().count() != p.size()) {
            throw new IllegalArgumentException(l.rounds + " rounds at rate " + l.rate + " prune all the weights, or "
                    + "rounds that cannot be told apart (" + p + " %); ask for fewer rounds or a lower rate");
        }
        return l;
    }

    /**
     * The pruning percentage each round reaches, 100 (1 - (1 - rate)^r), rounded to a millionth of a percent so that
     * keys and labels read well (0.2 gives 20, 36, 48.8, ...).
     */
    public List<Double> percentages() {
        List<Double> out = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            out.add(Math.round(1e6 * 100 * (1 - Math.pow(1 - rate, r))) / 1e6);
        }
        return out;
    }

    /** The round (1-based) that reaches {@code percentage}, or 0 if none does. */
    public int round(double percentage) {
        return percentages().indexOf(percentage) + 1;
    }

    /** The percentage of the round before the one reaching {@code percentage}; empty for the first round. */
    public OptionalDouble previous(double percentage) {
        int r = round(percentage);
        if (r == 0) {
            throw new IllegalArgumentException(percentage + " % is not a round of " + this);
        }
        return r == 1 ? OptionalDouble.empty() : OptionalDouble.of(percentages().get(r - 2));
    }

    /** The percentage of the round after the one reaching {@code percentage}; empty after the last. */
    public OptionalDouble next(double percentage) {
        int r = round(percentage);
        return r == 0 || r == rounds ? OptionalDouble.empty() : OptionalDouble.of(percentages().get(r));
    }

    /** The seed of the fresh initial weights of the random-reinitialisation control at a round. */
    public static long reinitSeed(long seed, int round) {
        return seed * 1_000_003L + 7919L * round + 1;
    }

    /** The seed of the random mask control's draw at a round. */
    public static long maskSeed(long seed, int round) {
        return seed * 1_000_033L + 104_729L * round + 2;
    }
}
