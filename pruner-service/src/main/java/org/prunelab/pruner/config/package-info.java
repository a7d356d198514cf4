/**
 * The pruner's typed settings (a @ConfigMapping); each is set in application.properties or by an environment
 * variable (README, Configuration).
 */
package org.prunelab.pruner.config;
