package org.jctdb.protocol.ctdb;

/**
 * UPTIME reply: four struct timeval (on 64-bit Linux each is i64 seconds, i64 microseconds):
 * the node's current time, when ctdbd started, when the last recovery started and finished.
 */
public record Uptime(
        Timeval currentTime, Timeval ctdbdStartTime, Timeval lastRecoveryStarted, Timeval lastRecoveryFinished) {
    public static final int SIZE = 64;

    public record Timeval(long seconds, long micros) {}

    private static Timeval tv(WireReader r, String field) throws BadPacketException {
        return new Timeval(r.u64(field + ".tv_sec"), r.u64(field + ".tv_usec"));
    }

    public static Uptime decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_uptime");
        Uptime u = new Uptime(
                tv(r, "current_time"),
                tv(r, "ctdbd_start_time"),
                tv(r, "last_recovery_started"),
                tv(r, "last_recovery_finished"));
        r.end();
        return u;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(SIZE);
        for (Timeval t : new Timeval[] {currentTime, ctdbdStartTime, lastRecoveryStarted, lastRecoveryFinished}) {
            w.u64(t.seconds()).u64(t.micros());
        }
        return w.toByteArray();
    }
}
