/**
 * The records that travel on Kafka, as plain Java records in JSON (docs/events.md documents them), and the topic
 * names ({@link org.prunelab.core.events.Topics}, the one place in Java they are written). Each record says the run,
 * dataset, method, percentage and seed it belongs to. The services read and write them; the runner reads them.
 */
package org.prunelab.core.events;
