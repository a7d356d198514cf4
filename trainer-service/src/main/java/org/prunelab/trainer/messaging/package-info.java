/**
 * The trainer's channels: training-requests in; trained-models, training-progress and (for the from-scratch networks)
 * pruned-variants out.
 */
package org.prunelab.trainer.messaging;
