/**
 * The content-addressed artifact store (a model's id is the SHA-256 of its bytes, written atomically, verified on
 * read, ids refused before they touch the file system) and the result ledger beside it, which makes every service's
 * work happen once per run however often its input arrives; the trainers' epoch checkpoints and job leases, which let
 * a job a killed trainer left go on elsewhere without being trained twice at once.
 */
package org.prunelab.core.store;
