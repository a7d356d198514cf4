/**
 * The network and its artifact: {@link org.prunelab.core.model.Mlp} (bias-free layers, row-major [in, out]), the
 * training settings, the npz format with its JSON manifest (what a model is and where it came from), sparsity.
 */
package org.prunelab.core.model;
