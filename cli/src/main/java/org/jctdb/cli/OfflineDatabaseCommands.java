package org.jctdb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jctdb.cli.ctdb.BackupFile;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.cli.ctdb.CtdbDatabases.Db;
import org.jctdb.cli.ctdb.PersistentTransaction;
import org.jctdb.config.ConfigException;
import org.jctdb.config.CtdbConf;
import org.jctdb.config.CtdbConfReader;
import org.jctdb.config.Layout;
import org.jctdb.config.NodeConfig;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.RecData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Database commands that read the caller's standard input or files (ptrans, backupdb, restoredb):
 * they run in the jctdb process, not in the daemon, and talk to the node's CTDB client socket
 * themselves, as the ctdb tool does.
 */
final class OfflineDatabaseCommands {
    private OfflineDatabaseCommands() {}

    /** The node's CTDB client socket from CTDB_BASE and ctdb.conf, as the daemon computes it. */
    static Path socket() throws ConfigException {
        Layout layout = Layout.fromEnvironment();
        CtdbConf conf = CtdbConfReader.read(layout.ctdbConf(), layout.defaultLogLocation());
        return NodeConfig.ctdbdSocket(layout, conf);
    }

    abstract static class OfflineDbCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "-t", paramLabel = "TIMEOUT", description = "Seconds to wait for each reply (default 10).")
        int timeout = 10;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public final Integer call() {
            Path socket;
            try {
                socket = socket();
            } catch (ConfigException e) {
                err().println(e.getMessage());
                return 1;
            }
            int rc = DatabaseCommands.withClient(socket, timeout, err(), this::run);
            out().flush();
            err().flush();
            return rc;
        }

        abstract int run(CtdbDatabases dbs) throws IOException;
    }

    /** One key and value from a ptrans line. */
    record KeyValue(Bytes key, Bytes value) {}

    /**
     * One line of ptrans input as CTDB 4.17 reads it: a double-quoted key, blanks, a double-quoted
     * value ("0x..." inside the quotes is hex). Empty when the line is skipped; the reason, if
     * ctdb prints one, goes to {@code messages}.
     */
    static Optional<KeyValue> ptransLine(String line, List<String> messages) {
        int[] pos = {0};
        Optional<Bytes> key = quoted(line, pos, messages);
        if (key.isEmpty() || key.get().length() == 0) {
            return Optional.empty();
        }
        Optional<Bytes> value = quoted(line, pos, messages);
        return value.map(v -> new KeyValue(key.get(), v));
    }

    /** A quoted string from pos on; empty (with ctdb's message) when there is none. */
    private static Optional<Bytes> quoted(String line, int[] pos, List<String> messages) {
        int i = pos[0];
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '"') {
            messages.add("Unsupported input format in " + line.substring(pos[0]));
            return Optional.empty();
        }
        int end = line.indexOf('"', i + 1);
        if (end < 0) {
            messages.add("Unmatched \" in input " + line.substring(pos[0]));
            return Optional.empty();
        }
        pos[0] = end + 1;
        if (end == i + 1) {
            return Optional.of(Bytes.EMPTY);
        }
        try {
            return Optional.of(DatabaseFormat.parseData(line.substring(i + 1, end), line.substring(end)));
        } catch (DatabaseFormat.BadDataException e) {
            messages.add(e.getMessage());
            return Optional.empty();
        }
    }

    @Command(
            name = "ptrans",
            description =
                    "Store \"KEY\" \"VALUE\" lines from FILE or standard input in a persistent database, in one transaction.")
    static final class PTrans extends OfflineDbCommand {
        @Parameters(index = "0", paramLabel = "DB")
        String db;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE")
        Path file;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = DatabaseCommands.find(dbs, db, err());
            if (d.isEmpty()) {
                return 1;
            }
            if (!d.get().transactional()) {
                err().println("Transactions not supported on DB " + d.get().name());
                return 1;
            }
            Reader input;
            try {
                input = file == null
                        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                        : Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err().println("Failed to open file " + file);
                return 1;
            }
            PersistentTransaction t = new PersistentTransaction(dbs, d.get().id());
            BufferedReader r = new BufferedReader(input);
            String line;
            while ((line = r.readLine()) != null) {
                List<String> messages = new ArrayList<>();
                // ctdb's messages quote the rest of the line with its newline, then end the line.
                ptransLine(line + "\n", messages).ifPresent(kv -> t.store(kv.key(), kv.value()));
                messages.forEach(m -> err().print(m + "\n"));
            }
            try {
                t.commit();
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to commit transaction on db " + d.get().name() + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "backupdb", description = "Copy a database's records to FILE in CTDB's backup format.")
    static final class BackupDb extends OfflineDbCommand {
        @Parameters(index = "0", paramLabel = "DB")
        String db;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            Optional<Db> d = DatabaseCommands.find(dbs, db, err());
            if (d.isEmpty()) {
                return 1;
            }
            List<RecData> records = new ArrayList<>();
            for (CtdbDatabases.Record r : dbs.traverse(d.get().id(), true)) {
                records.add(RecData.withHeader(0, r.key(), r.header(), r.value()));
            }
            BackupFile backup = BackupFile.of(
                    Instant.now().getEpochSecond(),
                    d.get().flags(),
                    d.get().name(),
                    d.get().id(),
                    records);
            try {
                if (!Files.exists(file)) {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                Files.write(file, backup.encode(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException | UnsupportedOperationException e) {
                err().println("Failed to open file " + file + " for writing");
                return 1;
            }
            out().println("Database backed up to " + file);
            return 0;
        }
    }

    /** dumpdbbackup: a backupdb FILE's records as catdb prints them; needs no daemon. */
    @Command(name = "dumpdbbackup", description = "Print the records of a backupdb FILE.")
    static final class DumpDbBackup implements Callable<Integer> {
        /** ctdb's exit code when the file cannot be opened: its errno, ENOENT for a missing file. */
        private static final int ENOENT = 2;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                err.println("Failed to open file " + file + " for reading");
                err.flush();
                return Files.exists(file) ? 1 : ENOENT;
            }
            BackupFile backup;
            try {
                backup = BackupFile.decode(bytes);
            } catch (BackupFile.BadBackupException e) {
                err.println(e.getMessage());
                err.flush();
                return DatabaseCommands.EINVAL;
            }
            StringBuilder b = new StringBuilder("Dumping database " + backup.name() + " from backup @ "
                    + backupTime(backup.timestamp(), ZoneId.systemDefault()) + "\n");
            int count = 0;
            for (RecData r : backup.records()) {
                try {
                    b.append(DatabaseFormat.record(r.key(), r.header(), r.value()));
                } catch (BadPacketException e) {
                    out.print(b);
                    out.flush();
                    err.println("Failed to dump records");
                    err.flush();
                    return DatabaseCommands.EINVAL;
                }
                count++;
            }
            out.print(b.append("Dumped ").append(count).append(" record(s)\n"));
            out.flush();
            return 0;
        }
    }

    /** restoredb's time stamp: the backup's time in the local time zone. */
    static String backupTime(long epochSecond, ZoneId zone) {
        return DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
                .withZone(zone)
                .format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * restoredb: CTDB's tool freezes the database on every node and pushes the records with recovery
     * controls; here the restore is one persistent transaction (every record of the backup, every
     * other record deleted, the sequence number raised), which the daemon applies on every active node.
     */
    @Command(name = "restoredb", description = "Restore a persistent database from a backupdb FILE (into DB if given).")
    static final class RestoreDb extends OfflineDbCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DB")
        String db;

        @Override
        int run(CtdbDatabases dbs) throws IOException {
            BackupFile backup;
            try {
                backup = BackupFile.decode(Files.readAllBytes(file));
            } catch (BackupFile.BadBackupException e) {
                err().println(e.getMessage());
                return DatabaseCommands.EINVAL;
            } catch (IOException e) {
                err().println("Failed to open file " + file + " for reading");
                return 1;
            }
            String name = db != null ? db : backup.name();
            out().println("Restoring database " + name + " from backup @ "
                    + backupTime(backup.timestamp(), ZoneId.systemDefault()));
            int id;
            try {
                id = dbs.attach(name, backup.flags());
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to attach to DB " + name);
                return 1;
            }
            Optional<Db> d = dbs.find("0x" + Integer.toHexString(id));
            if (d.isEmpty() || !d.get().transactional()) {
                err().println("Restoring volatile database " + name + " is not supported: jctdbd has no recovery"
                        + " controls for clients yet");
                return 1;
            }
            PersistentTransaction t = new PersistentTransaction(dbs, id);
            List<Bytes> stale = new ArrayList<>(t.keys());
            for (RecData r : backup.records()) {
                Bytes value;
                try {
                    value = r.value();
                } catch (BadPacketException e) {
                    err().println("Failed to read records: " + e.getMessage());
                    return 1;
                }
                if (PersistentTransaction.isSeqnumKey(r.key())) {
                    continue; // the transaction raises the current one instead
                }
                stale.remove(r.key());
                t.store(r.key(), value);
            }
            stale.forEach(t::delete);
            try {
                t.commit();
            } catch (CtdbDatabases.ControlFailedException e) {
                err().println("Failed to commit transaction on db " + name + ": " + e.getMessage());
                return 1;
            }
            out().println("Database " + name + " restored");
            return 0;
        }
    }
}
