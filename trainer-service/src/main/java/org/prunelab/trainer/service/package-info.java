/**
 * The trainer's work: train a run's model and its from-scratch networks once, store them, describe them as events,
 * and export training progress as metrics.
 */
package org.prunelab.trainer.service;
