/**
 * Database recovery after a generation bump as pure state machines: the leader's run (freeze,
 * collect, merge by highest rsn or highest sequence number, push, thaw) and each member's side.
 * Pure.
 */
package org.jctdb.database.recovery;
