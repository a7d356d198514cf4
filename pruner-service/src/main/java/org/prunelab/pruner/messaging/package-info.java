/**
 * The pruner's channels: trained-models and prune-requests in, pruned-variants out.
 */
package org.prunelab.pruner.messaging;
