package org.jctdb.database;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The databases attached on this node, as CTDB keeps them: file {@code <dir>/<name>.<pnn>},
 * CTDB's TDB flags per kind, the DatabaseHashSize tunable as hash size, id from the name.
 */
public final class LocalDatabases implements Closeable {
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;

    private final TdbFiles files;
    private final DatabaseDirectories dirs;
    private final int pnn;
    private final int hashSize;
    private final boolean mutexes;
    private final Map<String, Database> byName = new LinkedHashMap<>();
    /** The same databases by id: every migration message looks its database up. */
    private final Map<DbId, Database> byId = new HashMap<>();

    /**
     * Volatile databases use fcntl chain locks, as CTDB does with "[database] tdb mutexes = no":
     * opening a file with TDB_MUTEX_LOCKING makes libtdb run its robust-mutex check, which forks
     * and waits for SIGCHLD in a signal handler and hangs inside a JVM. smbd learns the flags from
     * DB_OPEN_FLAGS and opens the files the same way.
     */
    public LocalDatabases(TdbFiles files, DatabaseDirectories dirs, int pnn, int hashSize) {
        this.files = files;
        this.dirs = dirs;
        this.pnn = pnn;
        this.hashSize = hashSize;
        this.mutexes = false;
    }

    /**
     * Attaches {@code name} (opening or creating its file). Attaching again with the same kind
     * returns the same handle; with another kind it fails, as in CTDB.
     */
    public synchronized Database attach(String name, DatabaseKind kind) throws TdbException {
        Database existing = byName.get(name);
        Path path = dirs.directoryFor(kind).resolve(name + "." + pnn);
        if (existing != null) {
            if (existing.kind() != kind) {
                throw new TdbException(
                        path, "attach", -1, "database " + name + " is already attached as " + existing.kind());
            }
            return existing;
        }
        if (name.isEmpty() || name.contains("/")) {
            throw new TdbException(path, "attach", -1, "invalid database name '" + name + "'");
        }
        DbId id = DbId.of(name);
        for (Database d : byName.values()) {
            if (d.id().equals(id)) {
                throw new TdbException(
                        path, "attach", -1, "db id " + id + " of " + name + " collides with " + d.name());
            }
        }
        createDirectory(dirs.directoryFor(kind));
        TdbFile file = files.open(path, hashSize, kind.tdbFlags(mutexes), O_RDWR | O_CREAT, 0600);
        Database db = new Database(name, id, kind, file, pnn);
        byName.put(name, db);
        byId.put(db.id(), db);
        return db;
    }

    /** Attached databases in attach order (GET_DBMAP). */
    public synchronized List<Database> list() {
        return List.copyOf(byName.values());
    }

    public synchronized Optional<Database> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public synchronized Optional<Database> byId(DbId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * Detaches a database (DB_DETACH): it leaves the map at once; the caller closes its file on the
     * thread that uses it. The file stays on disk, as in CTDB.
     */
    public synchronized Optional<Database> detach(DbId id) {
        Optional<Database> d = byId(id);
        d.ifPresent(x -> {
            byName.remove(x.name());
            byId.remove(x.id());
        });
        return d;
    }

    public int pnn() {
        return pnn;
    }

    public DatabaseDirectories directories() {
        return dirs;
    }

    /** Whether volatile databases are opened with TDB_MUTEX_LOCKING here. */
    public boolean mutexes() {
        return mutexes;
    }

    @Override
    public synchronized void close() {
        List<Database> all = new ArrayList<>(byName.values());
        byName.clear();
        byId.clear();
        for (Database d : all) {
            d.file().close();
        }
    }

    private static void createDirectory(Path dir) throws TdbException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new TdbException(dir, "create directory", -1, e.toString());
        }
    }
}
