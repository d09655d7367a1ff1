package org.jctdb.protocol.ctdb;

import java.nio.ByteOrder;

/** Constants of CTDB 4.17's wire protocol (protocol version 1). */
public final class CtdbWire {
    private CtdbWire() {}

    /**
     * Every integer is in the host's byte order: the client protocol never leaves the machine
     * (the node-to-node protocol makes the same assumption, so CTDB clusters are single-endian).
     */
    public static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** "CTDB" read as a host-order u32. */
    public static final int MAGIC = 0x43544442;

    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 32;
    /** ctdbd rounds every packet it sends up to a multiple of this, and says so in the length field. */
    public static final int ALIGNMENT = 8;
    /** Our own default cap on a packet's declared length; CTDB has none short of memory. */
    public static final int DEFAULT_MAX_PACKET = 64 << 20;

    // destnode values
    /** What clients put in destnode for "the daemon I am talking to". */
    public static final int CURRENT_NODE = 0xF0000001;

    public static final int BROADCAST_ALL = 0xF0000002;
    public static final int BROADCAST_ACTIVE = 0xF0000003;
    public static final int BROADCAST_CONNECTED = 0xF0000004;
    public static final int MULTICAST = 0xF0000005;
    public static final int UNKNOWN_PNN = 0xFFFFFFFF;

    // REQ_CALL call ids and flags
    public static final int NULL_FUNC = 0xFF000001;
    public static final int FETCH_FUNC = 0xFF000002;
    public static final int FETCH_WITH_HEADER_FUNC = 0xFF000003;
    /**
     * JCTDB's own call functions for `jctdb writekey` / `deletekey`, which run inside the daemon and so cannot
     * write the TDB file themselves as the ctdb tool does: the daemon migrates the record here and, under its
     * chain lock, stores the call data as the value (or empties it and queues it for deletion).
     */
    public static final int JCTDB_STORE_FUNC = 0xFF00F001;

    public static final int JCTDB_DELETE_FUNC = 0xFF00F002;
    public static final int CALL_IMMEDIATE_MIGRATION = 0x1;
    public static final int CALL_VACUUM_MIGRATION = 0x2;
    public static final int CALL_WANT_READONLY = 0x4;

    // REQ_CONTROL flags
    public static final int CTRL_FLAG_NOREPLY = 0x1;
    /** GET_PUBLIC_IPS: only addresses this node can host. */
    public static final int PUBLIC_IP_FLAGS_ONLY_AVAILABLE = 0x10000;

    public static final int CTRL_FLAG_ATTACH_RECOVERY = 0x20000;
    /** JCTDB's own flag on TRAVERSE_START_EXT: traverse this node's whole file only (`jctdb cattdb`). */
    public static final int CTRL_FLAG_JCTDB_LOCAL_TRAVERSE = 0x40000000;

    // well-known message srvids
    public static final long SRVID_ALL = -1L;
    public static final long SRVID_LEADER = 0xF101000000000000L;
    public static final long SRVID_RECONFIGURE = 0xF200000000000000L;
    public static final long SRVID_RELEASE_IP = 0xF300000000000000L;
    public static final long SRVID_TAKE_IP = 0xF301000000000000L;
    public static final long SRVID_SAMBA_NOTIFY = 0xFE00000000000000L;
    /** Top byte of srvids the ctdb tool and libctdb-client register for traverses and the like. */
    public static final long SRVID_CLIENT_RANGE = 0xBE00000000000000L;

    // ctdb_dbid flags (GET_DBMAP)
    public static final int DB_FLAGS_PERSISTENT = 0x01;
    public static final int DB_FLAGS_READONLY = 0x02;
    public static final int DB_FLAGS_STICKY = 0x04;
    public static final int DB_FLAGS_REPLICATED = 0x08;

    // node flags (GET_NODEMAP)
    public static final int NODE_FLAGS_DISCONNECTED = 0x01;
    public static final int NODE_FLAGS_UNHEALTHY = 0x02;
    public static final int NODE_FLAGS_PERMANENTLY_DISABLED = 0x04;
    public static final int NODE_FLAGS_BANNED = 0x08;
    public static final int NODE_FLAGS_DELETED = 0x10;
    public static final int NODE_FLAGS_STOPPED = 0x20;

    // GET_CAPABILITIES bits
    public static final int CAP_RECMASTER = 0x1;
    public static final int CAP_LMASTER = 0x2;
    public static final int CAP_PARALLEL_RECOVERY = 0x10000;
    public static final int CAP_FRAGMENTED_CONTROLS = 0x20000;

    /** The key under which persistent databases keep their u64 sequence number. */
    public static final String DB_SEQNUM_KEY = "__db_sequence_number__";

    static int padded(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
