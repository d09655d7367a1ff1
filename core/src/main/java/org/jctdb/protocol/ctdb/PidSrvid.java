package org.jctdb.protocol.ctdb;

/**
 * CHECK_PID_SRVID request: a 4-byte pid_t then u64 srvid, with no padding between: 12 bytes
 * (ctdbd checks the size is exactly sizeof(pid_t) + sizeof(uint64_t)). The answer is the status:
 * 0 if that process is connected and registered srvid, -1 if not.
 */
public record PidSrvid(int pid, long srvid) {
    public static final int SIZE = 12;

    public static PidSrvid decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_pid_srvid");
        PidSrvid p = new PidSrvid(r.u32("pid"), r.u64("srvid"));
        r.end();
        return p;
    }

    public byte[] encode() {
        return new WireWriter(SIZE).u32(pid).u64(srvid).toByteArray();
    }
}
