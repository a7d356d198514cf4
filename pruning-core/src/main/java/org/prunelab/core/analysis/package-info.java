/**
 * Why so much can go: per-layer distributions of a trained model's |weight| and neuron norms, how its top 10 % of
 * weights spread over the neurons, and the share of all weights a method really removes. Pure functions of an
 * {@link org.prunelab.core.model.Mlp}; the pruner exports them as gauges, the report draws them.
 */
package org.prunelab.core.analysis;
