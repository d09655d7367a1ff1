package org.jctdb.database.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.MigrationCore;
import org.jctdb.database.migration.RecordInput;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.recovery.RecoveryMember;

/** One simulated node: its cores, its two databases and the chain locks its clients hold. */
final class SimDbNode {
    final int pnn;
    boolean alive = true;
    int incarnation;
    int group; // partition group: nodes talk only within a group
    MigrationCore migration;
    RecoveryMember member;
    /** Volatile database: lost in a crash (CLEAR_IF_FIRST). */
    TreeMap<RecordKey, LocalRecord> vol = new TreeMap<>();
    /** Persistent database: survives crashes. */
    TreeMap<RecordKey, LocalRecord> pers = new TreeMap<>();
    /** Keys of the volatile database whose chain lock a client holds. */
    final Map<RecordKey, Long> chainHeld = new HashMap<>();
    /** Inputs waiting for a chain lock (the shell's lock-wait helpers). */
    final Map<RecordKey, List<RecordInput>> chainWaiters = new HashMap<>();

    boolean locksHeld; // the daemon holds every lock: frozen for a recovery
    boolean freezing; // asked to take every lock, waiting for clients to release theirs
    long lastLeaderContact;
    long persistentGeneration; // stored with the persistent databases: survives crashes

    SimDbNode(int pnn) {
        this.pnn = pnn;
    }

    void boot(int hopLimit) {
        migration = new MigrationCore(pnn, hopLimit);
        member = new RecoveryMember(pnn, persistentGeneration);
        vol = new TreeMap<>();
        chainHeld.clear();
        chainWaiters.clear();
        locksHeld = false;
        freezing = false;
    }

    List<RecordInput> takeWaiters(RecordKey k) {
        List<RecordInput> w = chainWaiters.remove(k);
        return w == null ? new ArrayList<>() : w;
    }
}
