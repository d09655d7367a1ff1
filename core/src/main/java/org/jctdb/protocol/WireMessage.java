package org.jctdb.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

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
        @JsonSubTypes.Type(value = WireMessage.Subsystem.class, name = "subsystem"),
        @JsonSubTypes.Type(value = WireMessage.CtdbRelay.class, name = "ctdb-relay"),
})
public sealed interface WireMessage {

    /** The first frame on every connection, both ways: who I am and which cluster I belong to. */
    record Hello(int pnn, String clusterId, String version) implements WireMessage {
    }

    /** Sent when a node has had nothing else to say for a keepalive interval. */
    record Keepalive() implements WireMessage {
    }

    /** A node's own view of its flags (health, administrative state), sent on change and on connect. */
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

    record ControlReply(long id, int exitCode, String stdout, String stderr) implements WireMessage {
    }

    /**
     * A message owned by another package (leader election, IP takeover, health): the
     * transport carries it without knowing its shape; the owner decodes {@code body}.
     */
    record Subsystem(String subsystem, JsonNode body) implements WireMessage {
    }

    /**
     * A CTDB client-protocol packet between daemons (org.jctdb.client): a control addressed to
     * another node and its reply (matched by {@code id}), or a message for a client of the
     * receiving node. {@code packet} is the whole encoded CTDB packet.
     */
    record CtdbRelay(Kind kind, long id, byte[] packet) implements WireMessage {
        public enum Kind { CONTROL, REPLY, MESSAGE }
    }
}
