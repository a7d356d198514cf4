/**
 * Training: the MLP trained with DL4J and a Java Adam step (Xavier initialisation and per-epoch shuffle from the
 * seed), test evaluation, batches, and the native thread settings. Used by the trainer service and bin/train.
 */
package org.prunelab.core.training;
