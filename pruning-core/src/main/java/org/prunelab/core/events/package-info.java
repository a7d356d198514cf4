/**
 * The records that travel on Kafka, as plain Java records in JSON (docs/events.md documents them), and the topic
 * names ({@link org.prunelab.core.events.Topics}, the one place in Java they are written). Each record says the run,
 * dataset, method, percentage, seed and stage it belongs to. The services read and write them; the runner reads them.
 * {@link org.prunelab.core.events.StudyPlan} derives from a request what its run trains and evaluates (the training
 * jobs, the variant count) and the ledger keys every step is recorded under.
 */
package org.prunelab.core.events;
