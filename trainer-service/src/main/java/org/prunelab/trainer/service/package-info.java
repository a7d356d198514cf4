/**
 * The trainer's work: turn a request into training jobs, train each job once (a seed's model, a from-scratch network,
 * a pruned variant's fine-tuning) with a checkpoint per epoch and a lease while it trains, store the networks,
 * describe them as events, and export training progress as metrics.
 */
package org.prunelab.trainer.service;
