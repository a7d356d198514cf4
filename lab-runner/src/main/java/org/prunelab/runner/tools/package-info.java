/**
 * The command-line tools beside the runner: bin/train (one model), bin/fine-tune (pruned variants retrained with
 * their masks fixed), bin/benchmark (dense, CSR and compacted inference in one run) and bin/benchmark-training (the
 * training engines beside numpy), with their argument parser.
 */
package org.prunelab.runner.tools;
