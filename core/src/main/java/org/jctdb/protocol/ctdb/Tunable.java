package org.jctdb.protocol.ctdb;

/** SET_TUNABLE request, ctdb_tunable: u32 value, u32 length, the name with its NUL. */
public record Tunable(String name, int value) {

    public static Tunable decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_tunable");
        int value = r.u32("value");
        String name = ControlData.readStringN(r, "name");
        r.end();
        return new Tunable(name, value);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u32(value);
        ControlData.writeStringN(w, name);
        return w.toByteArray();
    }
}
