/**
 * The evaluator's work: evaluate a variant once (accuracy, its method's fast form checked against dense, both timed)
 * and export every figure as run-tagged gauges.
 */
package org.prunelab.evaluator.service;
