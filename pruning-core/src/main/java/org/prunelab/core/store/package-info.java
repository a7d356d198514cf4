/**
 * The content-addressed artifact store (a model's id is the SHA-256 of its bytes, written atomically, verified on
 * read, ids refused before they touch the file system) and the result ledger beside it, which makes every service's
 * work happen once per run however often its input arrives.
 */
package org.prunelab.core.store;
