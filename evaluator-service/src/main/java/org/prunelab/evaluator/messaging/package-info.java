/**
 * The evaluator's channels: pruned-variants in, evaluations out.
 */
package org.prunelab.evaluator.messaging;
