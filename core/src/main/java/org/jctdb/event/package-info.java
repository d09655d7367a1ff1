/**
 * Event scripts as values and policy: events, their arguments, results, script status and the
 * queueing rules. Pure; the engine that runs scripts is in the daemon module's half of this
 * package.
 */
package org.jctdb.event;
