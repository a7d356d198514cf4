/**
 * Test support the three services share through this module's test-jar: delivering a record on the in-memory
 * connector and seeing whether it was acknowledged or refused with a reason.
 */
package org.prunelab.support.testing;
