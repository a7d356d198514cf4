/**
 * The trainer's channels: training-requests in, its first jobs out to training-jobs; training-jobs in (one consumer
 * group over all trainers); trained-models, training-progress and (for from-scratch and fine-tuned networks)
 * pruned-variants out.
 */
package org.prunelab.trainer.messaging;
