package org.jctdb.database;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Owner of every TDB file this JVM has open. fcntl locks belong to the process and closing any
 * descriptor of a file drops all of them, so a second open of the same file (even read-only,
 * even by a tool inside the daemon) would silently release the chain locks and the
 * CLEAR_IF_FIRST active lock held through the first. This registry refuses it.
 * One instance per process, created by the daemon and passed to whoever opens databases.
 */
public final class TdbFiles {
    private final TdbLibrary lib;
    private final TdbDirect direct;
    private final TdbFetchShim fetchShim;
    private final Map<Path, TdbFile> open = new HashMap<>();

    public TdbFiles(TdbLibrary lib) {
        this(lib, TdbDirect.available().orElse(null), null);
    }

    /**
     * With the installation's {@code libjctdb_tdb.so} ({@code Installation.helper}), whose fetch the
     * direct binding uses (record migration fetches several times per record); without it, as above.
     */
    public TdbFiles(TdbLibrary lib, Path fetchShim) {
        this(lib, TdbDirect.available().orElse(null), fetchShim);
    }

    /** {@code direct} null: every call through the interface mapping (tests compare the two). */
    TdbFiles(TdbLibrary lib, TdbDirect direct, Path fetchShim) {
        this.lib = lib;
        this.direct = direct;
        this.fetchShim = direct == null || fetchShim == null
                ? null
                : TdbFetchShim.load(fetchShim).orElse(null);
    }

    TdbDirect direct() {
        return direct;
    }

    /** The fetch of {@code libjctdb_tdb.so}, or null (only with the direct binding). */
    TdbFetchShim fetchShim() {
        return fetchShim;
    }

    public TdbLibrary library() {
        return lib;
    }

    /**
     * Opens (or creates, with O_CREAT in {@code openFlags}) a TDB file.
     *
     * @throws TdbException when the file is already open in this JVM, or libtdb fails
     */
    public synchronized TdbFile open(Path path, int hashSize, int tdbFlags, int openFlags, int mode)
            throws TdbException {
        Path key = canonical(path);
        if (open.containsKey(key)) {
            throw new TdbException(
                    key, "open", -1, "already open in this process (a second descriptor would drop its fcntl locks)");
        }
        Pointer ctx = lib.tdb_open(key.toString(), hashSize, tdbFlags, openFlags, mode);
        if (ctx == null) {
            int errno = Native.getLastError();
            throw new TdbException(key, "tdb_open", -1, "errno " + errno + " (" + errnoName(errno) + ")");
        }
        TdbFile file = new TdbFile(this, lib, key, ctx, tdbFlags);
        open.put(key, file);
        return file;
    }

    /** The open file at {@code path}, if this JVM has it open. */
    public synchronized Optional<TdbFile> find(Path path) {
        try {
            return Optional.ofNullable(open.get(canonical(path)));
        } catch (TdbException e) {
            return Optional.empty();
        }
    }

    public synchronized int openCount() {
        return open.size();
    }

    synchronized void closed(TdbFile file) {
        open.remove(file.path(), file);
    }

    /** Real directory plus file name: the key must be the same for every spelling of a path. */
    private static Path canonical(Path path) throws TdbException {
        Path abs = path.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        try {
            Path realDir = dir == null ? abs : dir.toRealPath();
            Path candidate = dir == null ? abs : realDir.resolve(abs.getFileName());
            return Files.exists(candidate) ? candidate.toRealPath() : candidate;
        } catch (IOException e) {
            throw new TdbException(abs, "resolve path", -1, e.toString());
        }
    }

    private static String errnoName(int errno) {
        switch (errno) {
            case 2:
                return "ENOENT";
            case 13:
                return "EACCES";
            case 22:
                return "EINVAL";
            case 28:
                return "ENOSPC";
            case 30:
                return "EROFS";
            case 38:
                return "ENOSYS";
            default:
                return "see errno(3)";
        }
    }
}
