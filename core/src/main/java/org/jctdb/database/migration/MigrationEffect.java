package org.jctdb.database.migration;

import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;

/** What {@link MigrationCore} asks its shell to do, in order. */
public sealed interface MigrationEffect {

    /** Send a message to another node (to this node itself is never asked). */
    record SendToNode(int to, PeerMessage message) implements MigrationEffect {}

    /** Write this node's copy of the record; the shell still holds its chain lock. */
    record StoreRecord(DbId db, RecordKey key, LtdbHeader header, byte[] data) implements MigrationEffect {}

    /**
     * The client's call is answered: the record is on this node and this node is its data master.
     * The client re-reads it under its own chain lock, as smbd does.
     */
    record ReplyToClient(long callId, DbId db, RecordKey key, LtdbHeader header, byte[] data, int hops)
            implements MigrationEffect {}

    /** The chain lock was busy: wait for it without blocking (a helper), then deliver {@code input} again. */
    record WaitForChain(RecordInput input) implements MigrationEffect {}

    /** Read the record again now and deliver {@code input}: a call held during a recovery, resent. */
    record Resubmit(RecordInput input) implements MigrationEffect {}

    /** The nodes disagree about a record; only a recovery repairs that (CTDB forces one too). */
    record RequestRecovery(String reason) implements MigrationEffect {}
}
