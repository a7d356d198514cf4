/**
 * The lottery-ticket experiment: its settings and round schedule ({@link org.prunelab.core.lottery.Lottery}), the
 * masks and rewound weights of a round ({@link org.prunelab.core.lottery.Tickets}), and the training of one round's
 * network from its job ({@link org.prunelab.core.lottery.LotteryRound}). The trainer runs the rounds and their
 * controls as training jobs; the runner's report answers the question from the evaluations.
 */
package org.prunelab.core.lottery;
