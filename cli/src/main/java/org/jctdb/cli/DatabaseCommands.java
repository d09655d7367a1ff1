package org.jctdb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jctdb.cli.ctdb.CtdbClient;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.cli.ctdb.CtdbDatabases.Db;
import org.jctdb.cli.ctdb.PersistentTransaction;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.DbidMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The database commands of the ctdb tool: they run inside the daemon and talk to its CTDB client
 * socket as the ctdb tool does, so `jctdb X` and `ctdb X` print the same on the same cluster.
 * ptrans, backupdb and restoredb read or write the caller's files: they run in the jctdb process
 * ({@link OfflineDatabaseCommands}).
 */
final class DatabaseCommands {
    private DatabaseCommands() {}

    /** ctdb's exit code for an argument it cannot parse (EINVAL). */
    static final int EINVAL = 22;

    /** A body of a database command, given a connected client. */
    interface Body {
        int run(CtdbDatabases dbs) throws IOException;
    }

    /** Connects to the CTDB client socket, runs the body, reports failures as the ctdb tool does. */
    static int withClient(Path socket, int timeoutSeconds, PrintWriter err, Body body) {
        try (CtdbClient c = CtdbClient.connect(socket, Math.max(1, timeoutSeconds) * 1000L)) {
            return body.run(new CtdbDatabases(c));
        } catch (CtdbClient.NotConnectedException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    /** db_exists: the database an argument names, or ctdb's message. */
    static Optional<Db> find(CtdbDatabases dbs, String arg, PrintWriter err) throws IOException {
        Optional<Db> db = dbs.find(arg);
        if (db.isEmpty()) {
            err.println("No database matching '" + arg + "' found");
        }
        return db;
    }

    abstract static class DbCommand extends DaemonCommand {
        @Override
        public final Integer call() {
            return withClient(api().config().ctdbdSocket(), root().timeout, err(), this::run);
        }

        abstract int run(CtdbDatabases dbs) throws IOException;

        Optional<Db> find(CtdbDatabases dbs, String arg) throws IOException {
            return DatabaseCommands.find(dbs, arg, err());
        }

        /** A control's answer about the database {@code arg} names. */
        interface Query<T> {
            T ask(Db d) throws IOException;
        }

        /**
         * The answer for the database {@code arg} names; empty after ctdb's message when there is no
         * such database or the control fails or answers garbage ({@code failure} + the name).
         */
        <T> Optional<T> query(CtdbDatabases dbs, String arg, String failure, Query<T> q) throws IOException {
            Optional<Db> d = find(dbs, arg);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(q.ask(d.get()));
            } catch (CtdbDatabases.ControlFailedException | IllegalArgumentException e) {
                err().println(failure + d.get().name());
                return Optional.empty();
            }
        }

        /** A key or value argument, or null after printing ctdb's messages. */
        Bytes data(String arg, String what) {
            try {
                return DatabaseFormat.parseData(arg);
            } catch (DatabaseFormat.BadDataException e) {
                err().println(e.getMessage());
                err().println("Failed to parse " + what + " " + arg);
                return null;
            }
        }
    }

    @Command(name = "getdbmap", description = "List the databases attached on the node.")
    static final class GetDbMap extends DbCommand {
        @Override
        int run(CtdbDatabases dbs) throws IOException {
            DbidMap map = dbs.dbmap();
            List<DatabaseFormat.DbRow> rows = new ArrayList<>();
            for (DbidMap.Dbid d : map.dbs()) {
                rows.add(new DatabaseFormat.DbRow(
                        d.dbId(),
                        dbs.name(d.dbId()),
                        dbs.path(d.dbId()),
                        d.flags(),
                        dbs.health(d.dbId()).isPresent()));
            }
            out().print(DatabaseFormat.dbmap(rows, ctdbStyle(root())));
            return 0;
        }
    }

    /** ctdb's machine-readable form (JctdbCommand.style) without JSON, which ctdb's database commands lack. */
    static OutputStyle ctdbStyle(JctdbCommand root) {
        OutputStyle s = root.style();
        return new OutputStyle(s.separator(), false);
    }

    @Command(name = "getdbstatus", description = "Show a database's id, name, path, flags and health.")
    static final class GetDbStatus extends DbCommand {
        @Parameters(paramLabel = "DB")
        String db;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = find(dbs, db);
            if (d.isEmpty()) {
                return 1;
            }
            Db x = d.get();
            out().print(DatabaseFormat.dbstatus(x.id(), x.name(), dbs.path(x.id()), x.flags(), dbs.health(x.id())));
            return 0;
        }
    }

    @Command(name = "getdbseqnum", description = "Show a database's sequence number.")
    static final class GetDbSeqnum extends DbCommand {
        @Parameters(paramLabel = "DB")
        String db;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Long> seqnum = query(dbs, db, "Failed to get sequence number for DB ", d -> dbs.seqnum(d.id()));
            seqnum.ifPresent(n -> out().print(DatabaseFormat.seqnum(n)));
            return seqnum.isPresent() ? 0 : 1;
        }
    }

    @Command(name = "attach", description = "Attach (create) a database on every node.")
    static final class Attach extends DbCommand {
        @Parameters(index = "0", paramLabel = "DBNAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "persistent|replicated|readonly")
        String kind;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            int flags;
            if (kind == null) {
                flags = 0;
            } else if (kind.equals("persistent")) {
                flags = CtdbWire.DB_FLAGS_PERSISTENT;
            } else if (kind.equals("replicated")) {
                flags = CtdbWire.DB_FLAGS_REPLICATED;
            } else if (kind.equals("readonly")) {
                flags = CtdbWire.DB_FLAGS_READONLY;
            } else {
                err().println("Usage: attach <dbname> [persistent|replicated]");
                return 1;
            }
            try {
                dbs.attach(name, flags);
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to attach to DB " + name + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    /** Shared by catdb and cattdb. */
    abstract static class Dump extends DbCommand {
        @Parameters(paramLabel = "DB")
        String db;

        abstract boolean local();

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = find(dbs, db);
            if (d.isEmpty()) {
                return 1;
            }
            List<CtdbDatabases.Record> records = dbs.traverse(d.get().id(), local());
            StringBuilder b = new StringBuilder();
            for (CtdbDatabases.Record r : records) {
                b.append(DatabaseFormat.record(r.key(), r.header(), r.value()));
            }
            b.append(DatabaseFormat.dumped(records.size(), local()));
            out().print(b);
            return 0;
        }
    }

    @Command(name = "catdb", description = "Print the records of a clustered database.")
    static final class CatDb extends Dump {
        @Override
        boolean local() {
            return false;
        }
    }

    /**
     * cattdb: ctdb reads the node's own TDB file; here the daemon traverses that file for us,
     * empty records included, in the file's order.
     */
    @Command(name = "cattdb", description = "Print the records of the node's own copy of a database, empty ones too.")
    static final class CatTdb extends Dump {
        @Override
        boolean local() {
            return true;
        }
    }

    /** readkey, writekey, deletekey: a record of a volatile database (ctdb's checks and messages first). */
    abstract static class VolatileKey extends DbCommand {
        @Parameters(index = "0", paramLabel = "DB")
        String db;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = find(dbs, db);
            if (d.isEmpty()) {
                return 1;
            }
            if (d.get().transactional()) {
                err().println("DB " + d.get().name() + " is not a volatile database");
                return 1;
            }
            Bytes k = data(key, "key");
            if (k == null) {
                return EINVAL;
            }
            return run(dbs, d.get(), k);
        }

        abstract int run(CtdbDatabases dbs, Db d, Bytes k) throws IOException;
    }

    @Command(name = "readkey", description = "Print a record of a volatile database.")
    static final class ReadKey extends VolatileKey {
        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) {
            Bytes value;
            try {
                value = dbs.fetch(d.id(), k);
            } catch (IOException e) {
                err().println("Failed to read record for key " + key + ": " + e.getMessage());
                return 1;
            }
            out().print(DatabaseFormat.readkey(value));
            return 0;
        }
    }

    @Command(name = "writekey", description = "Store a record of a volatile database (it migrates to this node).")
    static final class WriteKey extends VolatileKey {
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) {
            Bytes v = data(value, "value");
            if (v == null) {
                return EINVAL;
            }
            try {
                dbs.write(d.id(), k, v);
            } catch (IOException e) {
                err().println("Failed to store record for key " + key + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "deletekey", description = "Delete a record of a volatile database (emptied now, vacuumed later).")
    static final class DeleteKey extends VolatileKey {
        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) {
            try {
                dbs.write(d.id(), k, null);
            } catch (IOException e) {
                err().println("Failed to delete record for key " + key + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    /** pfetch, pstore, pdelete: a transaction on a persistent or replicated database. */
    abstract static class Persistent extends DbCommand {
        @Parameters(index = "0", paramLabel = "DB")
        String db;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = find(dbs, db);
            if (d.isEmpty()) {
                return 1;
            }
            if (!d.get().transactional()) {
                err().println("Transactions not supported on DB " + d.get().name());
                return 1;
            }
            Bytes k = data(key, "key");
            if (k == null) {
                return EINVAL;
            }
            return run(dbs, d.get(), k);
        }

        abstract int run(CtdbDatabases dbs, Db db, Bytes key) throws IOException;

        int commit(PersistentTransaction t, Db d) throws IOException {
            try {
                t.commit();
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to commit transaction on db " + d.name() + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "pfetch", description = "Print a record of a persistent database.")
    static final class PFetch extends Persistent {
        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) throws IOException {
            out().print(DatabaseFormat.pfetch(new PersistentTransaction(dbs, d.id()).fetch(k)));
            return 0;
        }
    }

    /** pstore DB KEY VALUE: CTDB 4.17's tool stores VALUE itself, although its manual says FILE. */
    @Command(
            name = "pstore",
            description =
                    "Store a record in a persistent database (the value is the argument itself, as in CTDB 4.17).")
    static final class PStore extends Persistent {
        @Parameters(index = "2", paramLabel = "VALUE")
        String value;

        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) throws IOException {
            Bytes v = data(value, "value");
            if (v == null) {
                return EINVAL;
            }
            PersistentTransaction t = new PersistentTransaction(dbs, d.id());
            t.store(k, v);
            return commit(t, d);
        }
    }

    @Command(name = "pdelete", description = "Delete a record of a persistent database.")
    static final class PDelete extends Persistent {
        @Override
        int run(CtdbDatabases dbs, Db d, Bytes k) throws IOException {
            PersistentTransaction t = new PersistentTransaction(dbs, d.id());
            t.delete(k);
            return commit(t, d);
        }
    }

    /**
     * wipedb: CTDB's tool freezes the database on every active node and wipes it with recovery
     * controls, which jctdbd does not answer; here a persistent or replicated database is emptied in
     * one transaction (applied on every active node). Volatile databases are refused for now.
     */
    @Command(name = "wipedb", description = "Delete every record of a persistent or replicated database.")
    static final class WipeDb extends DbCommand {
        @Parameters(paramLabel = "DB")
        String db;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = find(dbs, db);
            if (d.isEmpty()) {
                return 1;
            }
            if (!d.get().transactional()) {
                err().println("Wiping volatile database " + d.get().name()
                        + " is not supported: jctdbd has no recovery controls for clients yet");
                return 1;
            }
            PersistentTransaction t = new PersistentTransaction(dbs, d.get().id());
            t.keys().forEach(t::delete);
            try {
                t.commit();
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to wipe database " + d.get().name() + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }
}
