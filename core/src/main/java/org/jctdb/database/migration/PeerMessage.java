package org.jctdb.database.migration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jctdb.database.DbId;

/**
 * What nodes send each other to migrate records (CTDB's REQ_CALL, REQ_DMASTER, REPLY_DMASTER,
 * REPLY_ERROR). Every message carries the sender's generation; a receiver in another generation
 * drops it, which is how a recovery fences messages of the generation before.
 * Data arrays are not copied: treat them as immutable.
 * The node mesh carries them in its compact binary form (org.jctdb.mesh.BinaryWire); the JSON
 * mapping ({@code type} names the record) still reads them from a peer that sends JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PeerMessage.ReqCall.class, name = "req-call"),
    @JsonSubTypes.Type(value = PeerMessage.ReqDmaster.class, name = "req-dmaster"),
    @JsonSubTypes.Type(value = PeerMessage.ReplyDmaster.class, name = "reply-dmaster"),
    @JsonSubTypes.Type(value = PeerMessage.ReplyError.class, name = "reply-error"),
})
public sealed interface PeerMessage
        permits PeerMessage.ReqCall, PeerMessage.ReqDmaster, PeerMessage.ReplyDmaster, PeerMessage.ReplyError {

    int from();

    long generation();

    /** Node {@code origin} wants the record; forwarded towards its data master, {@code hops} so far. */
    record ReqCall(int from, long generation, DbId db, RecordKey key, int origin, long reqId, int hops)
            implements PeerMessage, RecordInput {}

    /** To the lmaster, from the data master giving the record up: make {@code newDmaster} the data master. */
    record ReqDmaster(
            int from,
            long generation,
            DbId db,
            RecordKey key,
            int newDmaster,
            long reqId,
            long rsn,
            int flags,
            byte[] data,
            int hops)
            implements PeerMessage, RecordInput {}

    /** From the lmaster to the new data master: here is the record, you are its data master now. */
    record ReplyDmaster(
            int from, long generation, DbId db, RecordKey key, long reqId, long rsn, int flags, byte[] data, int hops)
            implements PeerMessage, RecordInput {}

    /** The call {@code reqId} of the receiving node could not be served (the hop limit was reached). */
    record ReplyError(int from, long generation, long reqId, Reason reason) implements PeerMessage, MigrationInput {}

    enum Reason {
        HOP_LIMIT
    }
}
