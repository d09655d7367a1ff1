package org.jctdb.leader;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one node's view, for `jctdb status` / `recmaster` and for tests.
 *
 * @param leadingGeneration the generation this node leads, NONE unless LEADER
 * @param leader            who this node believes leads, -1 when unknown
 * @param seenGeneration    highest generation accepted (fencing token)
 * @param appliedGeneration generation of the last recovery this node completed
 * @param appliedBoot       boot id of the leader that ran it (tells apart a restarted leader's reuse)
 * @param lockHeld          this node holds the cluster lock
 * @param lockUnresponsive  the held lock's re-check has not answered in time
 * @param lockTrouble       what is wrong with the cluster lock as this node sees it, if anything
 */
public record LeaderStatus(
        int pnn,
        Role role,
        long leadingGeneration,
        int leader,
        long seenGeneration,
        long appliedGeneration,
        long appliedBoot,
        RecoveryMode recoveryMode,
        List<Integer> vnnMap,
        boolean lockHeld,
        boolean lockUnresponsive,
        boolean recoveryInProgress,
        Optional<LockTrouble> lockTrouble) {}
