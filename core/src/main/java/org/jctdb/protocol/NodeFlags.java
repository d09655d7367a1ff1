package org.jctdb.protocol;

/**
 * CTDB's node flag bits, with the same values, so that `nodestatus` exit codes and `-X`
 * output match CTDB 4.17.
 */
public final class NodeFlags {
    public static final int DISCONNECTED = 0x01;
    public static final int UNHEALTHY = 0x02;
    public static final int PERMANENTLY_DISABLED = 0x04;
    public static final int BANNED = 0x08;
    public static final int DELETED = 0x10;
    public static final int STOPPED = 0x20;
    /** Set by CTDB 4.17 for nodes whose state this node does not know yet. */
    public static final int UNKNOWN = 0x40;

    public static final int DISABLED = UNHEALTHY | PERMANENTLY_DISABLED;
    public static final int INACTIVE = DELETED | DISCONNECTED | BANNED | STOPPED;

    private NodeFlags() {}

    public static boolean has(int flags, int bit) {
        return (flags & bit) != 0;
    }

    public static boolean isInactive(int flags) {
        return (flags & INACTIVE) != 0;
    }
}
