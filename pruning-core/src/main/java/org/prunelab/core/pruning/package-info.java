/**
 * The pruning rules and what a variant is. {@link org.prunelab.core.pruning.Method} is the one type for a variant's
 * method (weight, neuron, global, random, the from-scratch control): its wire id, report label, fast form and rule.
 * The rules: {@link org.prunelab.core.pruning.WeightPruning} and {@link org.prunelab.core.pruning.NeuronPruning} layer
 * by layer, {@link org.prunelab.core.pruning.GlobalPruning} over all hidden layers together,
 * {@link org.prunelab.core.pruning.RandomPruning} from the run's seed; magnitudes are ranked by
 * {@link org.prunelab.core.pruning.MagnitudeOrder}. The output layer is never pruned.
 */
package org.prunelab.core.pruning;
