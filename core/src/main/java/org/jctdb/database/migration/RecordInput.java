package org.jctdb.database.migration;

import org.jctdb.database.DbId;

/**
 * An input about one record. The shell delivers it to {@link MigrationCore} only while holding
 * that record's chain lock (taken without blocking), together with the record as read under the
 * lock ({@link MigrationInput.Locked}); if the lock is busy it delivers {@link MigrationInput.RecordBusy}.
 */
public sealed interface RecordInput
        permits RecordInput.ClientCall, PeerMessage.ReqCall, PeerMessage.ReqDmaster, PeerMessage.ReplyDmaster {

    DbId db();

    RecordKey key();

    /** A client of this node wants the record here (CTDB's fetch-lock call, REQ_CALL from a client). */
    record ClientCall(long callId, DbId db, RecordKey key) implements RecordInput {}
}
