/**
 * The pruning rules and what a variant is. {@link org.prunelab.core.pruning.Method} is the one type for a variant's
 * method (weight, neuron, the from-scratch control): its wire id, report label, fast form and rule.
 * {@link org.prunelab.core.pruning.WeightPruning} and {@link org.prunelab.core.pruning.NeuronPruning} are the rules,
 * layer by layer, with {@link org.prunelab.core.pruning.MagnitudeOrder}; the output layer is never pruned.
 */
package org.prunelab.core.pruning;
