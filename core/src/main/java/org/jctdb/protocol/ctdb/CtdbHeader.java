package org.jctdb.protocol.ctdb;

/**
 * The 32-byte header in front of every packet: eight host-order u32.
 * {@code length} counts the whole packet, header and padding included.
 */
public record CtdbHeader(
        int length, int magic, int version, int generation, int operation, int destnode, int srcnode, int reqid) {

    public static final int REQ_CALL = 0;
    public static final int REPLY_CALL = 1;
    public static final int REQ_DMASTER = 2;
    public static final int REPLY_DMASTER = 3;
    public static final int REPLY_ERROR = 4;
    public static final int REQ_MESSAGE = 5;
    // 6 was REQ_FINISHED, removed long ago
    public static final int REQ_CONTROL = 7;
    public static final int REPLY_CONTROL = 8;
    public static final int REQ_KEEPALIVE = 9;
    public static final int REQ_TUNNEL = 10;

    /** A header with the right magic and version; the length is filled in on encoding. */
    public static CtdbHeader of(int operation, int generation, int destnode, int srcnode, int reqid) {
        return new CtdbHeader(0, CtdbWire.MAGIC, CtdbWire.VERSION, generation, operation, destnode, srcnode, reqid);
    }

    public CtdbHeader withLength(int newLength) {
        return new CtdbHeader(newLength, magic, version, generation, operation, destnode, srcnode, reqid);
    }

    public static String operationName(int operation) {
        return switch (operation) {
            case REQ_CALL -> "REQ_CALL";
            case REPLY_CALL -> "REPLY_CALL";
            case REQ_DMASTER -> "REQ_DMASTER";
            case REPLY_DMASTER -> "REPLY_DMASTER";
            case REPLY_ERROR -> "REPLY_ERROR";
            case REQ_MESSAGE -> "REQ_MESSAGE";
            case REQ_CONTROL -> "REQ_CONTROL";
            case REPLY_CONTROL -> "REPLY_CONTROL";
            case REQ_KEEPALIVE -> "REQ_KEEPALIVE";
            case REQ_TUNNEL -> "REQ_TUNNEL";
            default -> "operation " + Integer.toUnsignedString(operation);
        };
    }

    void writeTo(WireWriter w, int wireLength) {
        w.u32(wireLength)
                .u32(magic)
                .u32(version)
                .u32(generation)
                .u32(operation)
                .u32(destnode)
                .u32(srcnode)
                .u32(reqid);
    }
}
