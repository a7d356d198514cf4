/**
 * The pruner's work: prune a stored model once per run with every method and percentage, store the variants, and
 * export the model's analyses as gauges.
 */
package org.prunelab.pruner.service;
