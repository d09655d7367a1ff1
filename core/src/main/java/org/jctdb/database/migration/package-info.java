/**
 * Record migration between nodes as a pure state machine: lmaster from the VNN map, calls routed
 * to the data master, hand-over with the record sequence number raised, bounded hops. Pure: the
 * daemon carries out its effects.
 */
package org.jctdb.database.migration;
