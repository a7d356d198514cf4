/**
 * The datasets: IDX files (raw or gzip) read into labeled images, by dataset name (mnist, fashion-mnist), with errors
 * that name the file. scripts/setup-datasets.sh installs the files this package reads.
 */
package org.prunelab.core.data;
