package org.jctdb.database;

import java.nio.charset.StandardCharsets;

/**
 * CTDB's database id: the Jenkins hash of the database name with its terminating NUL
 * (ctdb_local_attach hashes strlen(name)+1 bytes). Printed as 0x%08x by `ctdb getdbmap`.
 */
public record DbId(int value) {

    public static DbId of(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, withNul, 0, utf8.length);
        return new DbId(JenkinsHash.hash(withNul));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(value);
    }

    /**
     * Written out (the same as a record's): a record's generated equals and hashCode run through method handles,
     * which the daemon's C1 JIT does not fold away, and these two run several times per migrated record (map
     * lookups, checks).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof DbId d && d.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("0x%08x", value);
    }
}
