/**
 * The command-line tools beside the runner: bin/train (one model) and bin/benchmark (dense, CSR and compacted
 * inference in one run), with their argument parser.
 */
package org.prunelab.runner.tools;
