package org.jctdb.database;

import java.nio.file.Path;

/** A libtdb call failed: names the file, the operation and tdb's (or the OS's) error. */
public final class TdbException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final int tdbError;

    public TdbException(Path path, String operation, int tdbError, String detail) {
        super(path + ": " + operation + " failed: " + detail);
        this.path = path;
        this.tdbError = tdbError;
    }

    public Path path() {
        return path;
    }

    /** libtdb's enum TDB_ERROR value, or -1 when the failure did not come from a tdb context. */
    public int tdbError() {
        return tdbError;
    }
}
