package org.jctdb.database;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jctdb.config.Installation;
import org.jctdb.testing.TestEnvironment;

/** Test access to libtdb and the helper: skipped with a reason locally, a failure under CI=true. */
public final class Libtdb {
    private Libtdb() {}

    public static TdbLibrary require() {
        try {
            return TdbLibrary.load();
        } catch (UnsatisfiedLinkError e) {
            TestEnvironment.require(false, "libtdb (Debian's libtdb1) is not installed: " + e.getMessage());
            throw e;
        }
    }

    static Path lockWaitHelper() {
        Path helper = Installation.current().helper("jctdb_lock_wait");
        TestEnvironment.require(
                Files.isExecutable(helper), helper + " is not built (mvn compile builds it with gcc and libtdb-dev)");
        return helper;
    }

    /** A command found on PATH (tdbdump from tdb-tools, ltdbtool from ctdb). */
    static Path tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        TestEnvironment.require(false, name + " is not on PATH (Debian's tdb-tools / ctdb)");
        throw new IllegalStateException("unreachable");
    }
}
