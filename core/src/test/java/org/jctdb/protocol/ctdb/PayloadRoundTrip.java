package org.jctdb.protocol.ctdb;

/** Decodes a control payload with the typed codec its opcode uses and encodes it again. */
final class PayloadRoundTrip {
    private PayloadRoundTrip() {}

    interface Codec {
        byte[] roundTrip(byte[] data) throws BadPacketException;
    }

    /** The request payload codec of an opcode; null if the request carries no typed payload here. */
    static Codec request(ControlOpcode op) {
        return switch (op) {
            case PROCESS_EXISTS,
                    GETDBPATH,
                    GET_DBNAME,
                    ENABLE_SEQNUM,
                    DB_GET_HEALTH,
                    DB_OPEN_FLAGS,
                    SET_DB_READONLY,
                    GET_DB_STATISTICS,
                    UPDATE_SEQNUM,
                    DB_DETACH -> d -> ControlData.u32(ControlData.decodeU32(d, op.name()));
            case DB_ATTACH, DB_ATTACH_PERSISTENT, DB_ATTACH_REPLICATED ->
                d -> ControlData.cString(ControlData.decodeCString(d, op.name()));
            case TRAVERSE_START, TRAVERSE_KILL -> d -> TraverseStart.decode(d).encode();
            case TRAVERSE_START_EXT -> d -> TraverseStartExt.decode(d).encode();
            case TCP_CLIENT, TCP_ADD, TCP_REMOVE -> d -> TcpConnection.decode(d).encode();
            case GET_TUNABLE -> d -> ControlData.stringN(ControlData.decodeStringN(d, op.name()));
            case SET_TUNABLE -> d -> Tunable.decode(d).encode();
            case TRANS3_COMMIT, UPDATE_RECORD -> d -> RecBuffer.decode(d).encode();
            case GET_DB_SEQNUM -> d -> ControlData.dbSeqnumRequest(ControlData.decodeDbSeqnumRequest(d));
            case GET_PUBLIC_IP_INFO -> d -> SockAddr.decode(d).encode();
            case SCHEDULE_FOR_DELETION -> d -> KeyData.decode(d).encode();
            case CHECK_PID_SRVID -> d -> PidSrvid.decode(d).encode();
            case RELEASE_IP, TAKEOVER_IP -> d -> PublicIpList.PublicIp.decode(d).encode();
            default -> null;
        };
    }

    /** The codec of a successful reply's payload; null if the reply carries no typed payload here. */
    static Codec reply(ControlOpcode op) {
        return switch (op) {
            case DB_ATTACH,
                    DB_ATTACH_PERSISTENT,
                    DB_ATTACH_REPLICATED,
                    GET_TUNABLE,
                    GET_CAPABILITIES,
                    GET_RUNSTATE,
                    DB_OPEN_FLAGS,
                    GET_DEBUG -> d -> ControlData.u32(ControlData.decodeU32(d, op.name()));
            case GETDBPATH, GET_DBNAME, DB_GET_HEALTH, GET_RECLOCK_FILE ->
                d -> ControlData.cString(ControlData.decodeCString(d, op.name()));
            case GETVNNMAP -> d -> VnnMap.decode(d).encode();
            case GET_DBMAP -> d -> DbidMap.decode(d).encode();
            case LIST_TUNABLES -> d -> ControlData.tunableNames(ControlData.decodeTunableNames(d));
            case GET_PUBLIC_IPS -> d -> PublicIpList.decode(d).encode();
            case GET_NODEMAP, GET_NODES_FILE -> d -> NodeMap.decode(d).encode();
            case GET_DB_SEQNUM -> d -> ControlData.u64(ControlData.decodeU64(d, op.name()));
            case GET_PUBLIC_IP_INFO -> d -> PublicIpInfo.decode(d).encode();
            case GET_IFACES -> d -> IfaceList.decode(d).encode();
            case UPTIME -> d -> Uptime.decode(d).encode();
            default -> null;
        };
    }
}
