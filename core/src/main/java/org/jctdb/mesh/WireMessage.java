package org.jctdb.mesh;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.recovery.RecoveryReply;
import org.jctdb.database.recovery.RecoveryRequest;
import org.jctdb.ip.IpMessage;
import org.jctdb.ip.tickle.TickleList;
import org.jctdb.leader.LeaderMessage;
import org.jctdb.protocol.StorageSummary;

/**
 * Everything one node says to another over the node mesh. One message is one frame; the
 * "type" property names the record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = WireMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = WireMessage.Keepalive.class, name = "keepalive"),
    @JsonSubTypes.Type(value = WireMessage.NodeState.class, name = "node-state"),
    @JsonSubTypes.Type(value = WireMessage.ControlRequest.class, name = "control-request"),
    @JsonSubTypes.Type(value = WireMessage.ControlReply.class, name = "control-reply"),
    @JsonSubTypes.Type(value = WireMessage.Leader.class, name = "leader"),
    @JsonSubTypes.Type(value = WireMessage.Ip.class, name = "ip"),
    @JsonSubTypes.Type(value = WireMessage.CtdbRelay.class, name = "ctdb-relay"),
    @JsonSubTypes.Type(value = WireMessage.Migration.class, name = "migration"),
    @JsonSubTypes.Type(value = WireMessage.DbRecoveryRequest.class, name = "db-recovery-request"),
    @JsonSubTypes.Type(value = WireMessage.DbRecoveryReply.class, name = "db-recovery-reply"),
    @JsonSubTypes.Type(value = WireMessage.RecoveryWanted.class, name = "recovery-wanted"),
    @JsonSubTypes.Type(value = WireMessage.Fragment.class, name = "fragment"),
    @JsonSubTypes.Type(value = WireMessage.TraverseAll.class, name = "traverse-all"),
    @JsonSubTypes.Type(value = WireMessage.TraverseData.class, name = "traverse-data"),
    @JsonSubTypes.Type(value = WireMessage.Tickles.class, name = "tickles"),
})
public sealed interface WireMessage {

    /** The first frame on every connection, both ways: who I am and which cluster I belong to. */
    record Hello(int pnn, String clusterId, String version) implements WireMessage {
        public Hello {
            Objects.requireNonNull(clusterId, "clusterId");
            Objects.requireNonNull(version, "version");
        }
    }

    /** Sent when a node has had nothing else to say for a keepalive interval. */
    record Keepalive() implements WireMessage {}

    /** A node's own flags and storage probe summary (null from a peer that sends none). */
    record NodeState(int pnn, int flags, long sequence, StorageSummary storage) implements WireMessage {
        public NodeState {
            storage = storage == null ? StorageSummary.OK : storage;
        }
    }

    /** A `jctdb -n PNN ...` command forwarded to the node it names. */
    record ControlRequest(long id, List<String> argv) implements WireMessage {
        public ControlRequest {
            argv = List.copyOf(argv);
        }
    }

    record ControlReply(long id, int exitCode, String stdout, String stderr) implements WireMessage {}

    /** Election, leader announcements and recovery (decoded once, here, with the frame). */
    record Leader(LeaderMessage message) implements WireMessage {}

    /** Public IP failover: reports, grants, takeover steps. */
    record Ip(IpMessage message) implements WireMessage {}

    /**
     * A CTDB client-protocol packet between daemons (org.jctdb.client): a control addressed to
     * another node and its reply (matched by {@code id}), or a message for a client of the
     * receiving node. {@code packet} is the whole encoded CTDB packet.
     */
    record CtdbRelay(Kind kind, long id, byte[] packet) implements WireMessage {
        public enum Kind {
            CONTROL,
            REPLY,
            MESSAGE
        }
    }

    /** Record migration between nodes (CTDB's REQ_CALL, REQ_DMASTER, REPLY_DMASTER; decoded once, here). */
    record Migration(PeerMessage message) implements WireMessage {}

    /**
     * A step of the leader's database recovery. {@code dbNames} (db id in hex to name) lets a member
     * attach a database it does not have yet before the push replaces it.
     */
    record DbRecoveryRequest(RecoveryRequest request, Map<String, String> dbNames) implements WireMessage {
        public DbRecoveryRequest {
            Objects.requireNonNull(request, "request");
            dbNames = dbNames == null ? Map.of() : Map.copyOf(dbNames);
        }
    }

    /** A member's answer to a {@link DbRecoveryRequest}; {@code dbNames} names the databases it collected. */
    record DbRecoveryReply(RecoveryReply reply, Map<String, String> dbNames) implements WireMessage {
        public DbRecoveryReply {
            Objects.requireNonNull(reply, "reply");
            dbNames = dbNames == null ? Map.of() : Map.copyOf(dbNames);
        }
    }

    /** A node's databases disagree with another's (migration found it): the leader should recover. */
    record RecoveryWanted(int from, String reason) implements WireMessage {}

    /**
     * One piece of a message too large for one frame (a recovery's collected or pushed databases):
     * {@code part} {@code index} of {@code count} of the encoded message {@code id}. The receiver
     * joins the pieces in order and decodes the whole once.
     */
    record Fragment(long id, int index, int count, byte[] part) implements WireMessage {
        public Fragment {
            Objects.requireNonNull(part, "part");
        }
    }

    /**
     * A cluster-wide traverse (CTDB's TRAVERSE_ALL_EXT): the receiver sends back, in {@link TraverseData}
     * batches, the records of database {@code dbId} it is data master of ({@code withEmpty}: records
     * without a value too).
     */
    record TraverseAll(long id, int dbId, boolean withEmpty) implements WireMessage {}

    /**
     * Records for traverse {@code id} (CTDB's TRAVERSE_DATA, batched): {@code records} is a CTDB rec buffer
     * of a bounded size; {@code end} says the sender has no more.
     */
    record TraverseData(long id, byte[] records, boolean end) implements WireMessage {}

    /** The host of a public address tells the others which client connections it has (CTDB's SET_TCP_TICKLE_LIST). */
    record Tickles(TickleList list) implements WireMessage {}
}
