/**
 * The pruning laboratory's domain: everything the study is, with no framework in it (no Quarkus, SmallRye,
 * Micrometer or CDI), so that services, tools and tests use the same rules. {@link org.prunelab.core.Json} is the one
 * JSON mapping for events, manifests and result files: strict about types, with reasons a user can act on.
 *
 * <p>Who may use it: every module. It depends on DL4J/ND4J (training, dense inference) and Jackson only.
 */
package org.prunelab.core;
