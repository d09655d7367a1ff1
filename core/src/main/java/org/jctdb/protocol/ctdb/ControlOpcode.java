package org.jctdb.protocol.ctdb;

import java.util.HashMap;
import java.util.Map;

/**
 * The control opcodes of CTDB 4.17 (enum ctdb_controls in its protocol.h), with their numbers.
 * Numbers never seen here (removed ones such as 2, 12, 28, 38-41, 68, 73, 92-95, 106, or new ones)
 * map to null: a daemon must still answer them, with an error reply.
 * {@code obsolete} marks controls CTDB 4.17 itself no longer implements.
 */
public enum ControlOpcode {
    PROCESS_EXISTS(0),
    STATISTICS(1),
    PING(3),
    GETDBPATH(4),
    GETVNNMAP(5),
    SETVNNMAP(6),
    GET_DEBUG(7),
    SET_DEBUG(8),
    GET_DBMAP(9),
    GET_NODEMAP_V4(10, true),
    SET_DMASTER(11, true),
    PULL_DB(13, true),
    PUSH_DB(14, true),
    GET_RECMODE(15),
    SET_RECMODE(16),
    STATISTICS_RESET(17),
    DB_ATTACH(18),
    SET_CALL(19, true),
    TRAVERSE_START(20),
    TRAVERSE_ALL(21),
    TRAVERSE_DATA(22),
    REGISTER_SRVID(23),
    DEREGISTER_SRVID(24),
    GET_DBNAME(25),
    ENABLE_SEQNUM(26),
    UPDATE_SEQNUM(27),
    DUMP_MEMORY(29),
    GET_PID(30),
    GET_RECMASTER(31, true),
    SET_RECMASTER(32, true),
    FREEZE(33),
    THAW(34, true),
    GET_PNN(35),
    SHUTDOWN(36),
    GET_MONMODE(37, true),
    TAKEOVER_IP_V4(42, true),
    RELEASE_IP_V4(43, true),
    TCP_CLIENT(44),
    TCP_ADD(45),
    TCP_REMOVE(46),
    STARTUP(47),
    SET_TUNABLE(48),
    GET_TUNABLE(49),
    LIST_TUNABLES(50),
    GET_PUBLIC_IPS_V4(51, true),
    MODIFY_FLAGS(52),
    GET_ALL_TUNABLES(53),
    KILL_TCP(54, true),
    GET_TCP_TICKLE_LIST(55),
    SET_TCP_TICKLE_LIST(56),
    REGISTER_SERVER_ID(57, true),
    UNREGISTER_SERVER_ID(58, true),
    CHECK_SERVER_ID(59, true),
    GET_SERVER_ID_LIST(60, true),
    DB_ATTACH_PERSISTENT(61),
    PERSISTENT_STORE(62, true),
    UPDATE_RECORD(63),
    SEND_GRATUITOUS_ARP(64),
    TRANSACTION_START(65, true),
    TRANSACTION_COMMIT(66, true),
    WIPE_DATABASE(67),
    UPTIME(69),
    START_RECOVERY(70),
    END_RECOVERY(71),
    RELOAD_NODES_FILE(72),
    TRY_DELETE_RECORDS(74),
    ENABLE_MONITOR(75, true),
    DISABLE_MONITOR(76, true),
    ADD_PUBLIC_IP(77),
    DEL_PUBLIC_IP(78),
    RUN_EVENTSCRIPTS(79, true),
    GET_CAPABILITIES(80),
    START_PERSISTENT_UPDATE(81, true),
    CANCEL_PERSISTENT_UPDATE(82, true),
    TRANS2_COMMIT(83, true),
    TRANS2_FINISHED(84, true),
    TRANS2_ERROR(85, true),
    TRANS2_COMMIT_RETRY(86, true),
    RECD_PING(87),
    RELEASE_IP(88),
    TAKEOVER_IP(89),
    GET_PUBLIC_IPS(90),
    GET_NODEMAP(91),
    GET_EVENT_SCRIPT_STATUS(96, true),
    TRAVERSE_KILL(97),
    RECD_RECLOCK_LATENCY(98),
    GET_RECLOCK_FILE(99),
    SET_RECLOCK_FILE(100, true),
    STOP_NODE(101),
    CONTINUE_NODE(102),
    SET_NATGWSTATE(103, true),
    SET_LMASTERROLE(104),
    SET_RECMASTERROLE(105),
    ENABLE_SCRIPT(107, true),
    DISABLE_SCRIPT(108, true),
    SET_BAN_STATE(109),
    GET_BAN_STATE(110),
    SET_DB_PRIORITY(111, true),
    GET_DB_PRIORITY(112, true),
    TRANSACTION_CANCEL(113, true),
    REGISTER_NOTIFY(114),
    DEREGISTER_NOTIFY(115),
    TRANS2_ACTIVE(116, true),
    GET_LOG(117, true),
    CLEAR_LOG(118, true),
    TRANS3_COMMIT(119),
    GET_DB_SEQNUM(120),
    DB_SET_HEALTHY(121),
    DB_GET_HEALTH(122),
    GET_PUBLIC_IP_INFO(123),
    GET_IFACES(124),
    SET_IFACE_LINK_STATE(125),
    TCP_ADD_DELAYED_UPDATE(126),
    GET_STAT_HISTORY(127),
    SCHEDULE_FOR_DELETION(128),
    SET_DB_READONLY(129),
    CHECK_SRVIDS(130, true),
    TRAVERSE_START_EXT(131),
    GET_DB_STATISTICS(132),
    SET_DB_STICKY(133),
    RELOAD_PUBLIC_IPS(134),
    TRAVERSE_ALL_EXT(135),
    RECEIVE_RECORDS(136, true),
    IPREALLOCATED(137),
    GET_RUNSTATE(138),
    DB_DETACH(139),
    GET_NODES_FILE(140),
    DB_FREEZE(141),
    DB_THAW(142),
    DB_TRANSACTION_START(143),
    DB_TRANSACTION_COMMIT(144),
    DB_TRANSACTION_CANCEL(145),
    DB_PULL(146),
    DB_PUSH_START(147),
    DB_PUSH_CONFIRM(148),
    DB_OPEN_FLAGS(149),
    DB_ATTACH_REPLICATED(150),
    CHECK_PID_SRVID(151),
    TUNNEL_REGISTER(152),
    TUNNEL_DEREGISTER(153),
    VACUUM_FETCH(154),
    DB_VACUUM(155),
    ECHO_DATA(156),
    DISABLE_NODE(157),
    ENABLE_NODE(158);

    private static final Map<Integer, ControlOpcode> BY_CODE = new HashMap<>();

    static {
        for (ControlOpcode op : values()) {
            BY_CODE.put(op.code, op);
        }
    }

    private final int code;
    private final boolean obsolete;

    ControlOpcode(int code) {
        this(code, false);
    }

    ControlOpcode(int code, boolean obsolete) {
        this.code = code;
        this.obsolete = obsolete;
    }

    public int code() {
        return code;
    }

    public boolean obsolete() {
        return obsolete;
    }

    /** The opcode with this number, or null if CTDB 4.17 defines none. */
    public static ControlOpcode fromCode(int code) {
        return BY_CODE.get(code);
    }

    /** NAME(number) for a known opcode, "unknown opcode N" otherwise: for log lines and errors. */
    public static String describe(int code) {
        ControlOpcode op = fromCode(code);
        return op == null ? "unknown opcode " + Integer.toUnsignedString(code) : op + "(" + code + ")";
    }
}
