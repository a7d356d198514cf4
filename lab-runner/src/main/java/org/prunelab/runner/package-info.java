/**
 * bin/run: the embedded default pipeline (a local KRaft broker and the services as child processes, a Prometheus
 * when installed), the client that posts requests and follows runs on the broker, and the results table (means and
 * spreads over a run's seeds: {@link org.prunelab.runner.SeedMeans}).
 */
package org.prunelab.runner;
