package org.jctdb.database;

import java.nio.file.Path;

/**
 * CTDB's three database directories ("[database] volatile database directory", "persistent
 * database directory", "state database directory"). Volatile and replicated databases live in
 * the first, persistent ones in the second; the state directory holds the daemon's own files.
 */
public record DatabaseDirectories(Path volatileDir, Path persistentDir, Path stateDir) {

    /** CTDB's layout under one base: volatile/, persistent/, state/. */
    public static DatabaseDirectories under(Path base) {
        return new DatabaseDirectories(base.resolve("volatile"), base.resolve("persistent"), base.resolve("state"));
    }

    public Path directoryFor(DatabaseKind kind) {
        return kind == DatabaseKind.PERSISTENT ? persistentDir : volatileDir;
    }
}
