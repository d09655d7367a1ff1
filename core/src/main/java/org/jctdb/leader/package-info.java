/**
 * Election, the cluster lock's role, generations as fencing tokens and the recovery state machine:
 * LeaderCore returns sealed effects and runs in the simulator. Pure.
 */
package org.jctdb.leader;
