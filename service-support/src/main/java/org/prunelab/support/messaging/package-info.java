/**
 * What the services share for messaging: {@link org.prunelab.support.messaging.Inbox}, the consumer template that
 * counts, runs a handler's work, dead-letters with the reason and acknowledges once the output is written, and keyed
 * outgoing records. For the three services only; the domain knows nothing of it.
 */
package org.prunelab.support.messaging;
