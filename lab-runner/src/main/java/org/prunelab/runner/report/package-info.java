/**
 * A run's report: PNG charts, conclusions drawn from the run's own numbers, and report.md.
 */
package org.prunelab.runner.report;
