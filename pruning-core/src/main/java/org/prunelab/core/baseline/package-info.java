/**
 * The control for neuron pruning: networks of the neuron-pruned sizes trained from scratch (their hidden sizes, which
 * percentages get one, and how many variants a run has in all). Used by the trainer, the pruner and the runner.
 */
package org.prunelab.core.baseline;
