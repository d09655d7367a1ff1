package org.jctdb.protocol.ctdb;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The body of a CTDB packet, one record per operation. Layouts (after the 32-byte header, all
 * host order): every variable part is preceded by its u32 length, and REQ_DMASTER, REPLY_DMASTER
 * and REQ_CONTROL hold 4 bytes of alignment padding before their u64 field.
 */
public sealed interface CtdbPacket {

    /** The operation number of the header this body belongs behind. */
    int operation();

    /** Fetch or run a function on a record: u32 flags, db_id, callid, hopcount, keylen, calldatalen; key; calldata. */
    record ReqCall(int flags, int dbId, int callId, int hopcount, Bytes key, Bytes callData) implements CtdbPacket {
        public ReqCall {
            Objects.requireNonNull(key);
            Objects.requireNonNull(callData);
        }

        public int operation() {
            return CtdbHeader.REQ_CALL;
        }
    }

    /** i32 status, u32 datalen, data. */
    record ReplyCall(int status, Bytes data) implements CtdbPacket {
        public ReplyCall {
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REPLY_CALL;
        }
    }

    /** u32 db_id, 4 bytes padding, u64 rsn, u32 dmaster, keylen, datalen; key; data. Between daemons only. */
    record ReqDmaster(int dbId, long rsn, int dmaster, Bytes key, Bytes data) implements CtdbPacket {
        public ReqDmaster {
            Objects.requireNonNull(key);
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REQ_DMASTER;
        }
    }

    /** u32 db_id, 4 bytes padding, u64 rsn, u32 keylen, datalen; key; data. Between daemons only. */
    record ReplyDmaster(int dbId, long rsn, Bytes key, Bytes data) implements CtdbPacket {
        public ReplyDmaster {
            Objects.requireNonNull(key);
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REPLY_DMASTER;
        }
    }

    /** i32 status, u32 msglen, msg: a failed REQ_CALL. */
    record ReplyError(int status, Bytes msg) implements CtdbPacket {
        public ReplyError {
            Objects.requireNonNull(msg);
        }

        public int operation() {
            return CtdbHeader.REPLY_ERROR;
        }
    }

    /** u64 srvid, u32 datalen, data: a message to whoever registered srvid. */
    record ReqMessage(long srvid, Bytes data) implements CtdbPacket {
        public ReqMessage {
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REQ_MESSAGE;
        }
    }

    /**
     * u32 opcode, 4 bytes padding, u64 srvid, u32 client_id, u32 flags, u32 datalen, data.
     * The opcode stays a raw number so unknown opcodes survive decoding (see {@link ControlOpcode}).
     */
    record ReqControl(int opcode, long srvid, int clientId, int flags, Bytes data) implements CtdbPacket {
        public ReqControl {
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REQ_CONTROL;
        }

        /** The known opcode, or null for a number CTDB 4.17 does not define. */
        public ControlOpcode knownOpcode() {
            return ControlOpcode.fromCode(opcode);
        }
    }

    /**
     * i32 status, u32 datalen, u32 errorlen, data, error. Many controls return their answer in
     * status (GET_PNN: the pnn) with no data. ctdbd sends the error text without a NUL.
     */
    record ReplyControl(int status, Bytes data, Bytes error) implements CtdbPacket {
        public ReplyControl {
            Objects.requireNonNull(data);
            Objects.requireNonNull(error);
        }

        public static ReplyControl ok(int status, Bytes data) {
            return new ReplyControl(status, data, Bytes.EMPTY);
        }

        public static ReplyControl failed(int status, String message) {
            return new ReplyControl(status, Bytes.EMPTY, Bytes.ofUtf8(message));
        }

        public int operation() {
            return CtdbHeader.REPLY_CONTROL;
        }

        /** The error text without any trailing NULs (libctdb-client senders include one). */
        public String errorMessage() {
            byte[] b = error.array();
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) {
                n--;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** u32 version, u32 uptime: node-to-node liveness. */
    record ReqKeepalive(int version, int uptime) implements CtdbPacket {
        public int operation() {
            return CtdbHeader.REQ_KEEPALIVE;
        }
    }

    /** u64 tunnel_id, u32 flags, u32 datalen, data. */
    record ReqTunnel(long tunnelId, int flags, Bytes data) implements CtdbPacket {
        public ReqTunnel {
            Objects.requireNonNull(data);
        }

        public int operation() {
            return CtdbHeader.REQ_TUNNEL;
        }
    }
}
