/**
 * What the services share for metrics: run-tagged gauges with a bounded number of runs, per-channel message counters,
 * and the meter filter that keeps /q/metrics acceptable to promtool. For the three services only.
 */
package org.prunelab.support.metrics;
