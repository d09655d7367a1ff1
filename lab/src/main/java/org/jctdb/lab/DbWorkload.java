package org.jctdb.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.jctdb.cli.ctdb.CtdbClient;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.cli.ctdb.PersistentTransaction;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.LtdbHeader;
import org.jctdb.protocol.ctdb.VnnMap;

/**
 * The lab's database workload: one thread per node, each a client of that node's CTDB client
 * socket (the same protocol for jctdbd and ctdbd), looping: a persistent transaction
 * (TRANS3_COMMIT, as `ctdb pstore`) writes the next value of this node's key
 * {@code lab-K}, the node's copy of every node's key is read, and one of two volatile records
 * is fetched with immediate migration (FETCH_WITH_HEADER, as MigrationBench), so the records
 * move between the nodes. Each operation becomes a {@link DbEvent}; a connection per operation,
 * so a node that went away costs one timeout and nothing lingers.
 */
final class DbWorkload implements AutoCloseable {
    static final String PERSISTENT_DB = "lab_persistent.tdb";
    static final String VOLATILE_DB = "lab_volatile.tdb";
    /** Each operation's deadline: a stopped or cut-off node fails fast enough to keep sampling the others. */
    static final long OP_TIMEOUT_MS = 3000;

    private static final long PAUSE_MS = 250;

    private final int nodes;
    private final IntFunction<Path> socket;
    private final LongSupplier clock;
    private final Consumer<DbEvent> sink;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    /**
     * Held around each persistent transaction, as the ctdb tool holds the database's g_lock: every
     * commit raises the database's one sequence-number record, so unserialised writers on
     * different nodes would refuse each other's commits (stale rsn) and hide real failures.
     */
    private final Object transactionLock = new Object();

    DbWorkload(int nodes, IntFunction<Path> socket, LongSupplier clock, Consumer<DbEvent> sink) {
        this.nodes = nodes;
        this.socket = socket;
        this.clock = clock;
        this.sink = sink;
    }

    static String key(int node) {
        return "lab-" + node;
    }

    DbWorkload start() {
        for (int k = 0; k < nodes; k++) {
            int node = k;
            Thread t = new Thread(() -> loop(node), "lab-db-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void loop(int k) {
        AtomicLong next = new AtomicLong(0);
        long round = 0;
        while (stop.getCount() > 0) {
            write(k, next.incrementAndGet());
            readAll(k);
            fetch(k, "vol-" + (round++ % 2));
            try {
                if (stop.await(PAUSE_MS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(int k, long value) {
        synchronized (transactionLock) {
            writeLocked(k, value);
        }
    }

    private void writeLocked(int k, long value) {
        long start = clock.getAsLong();
        try (CtdbClient c = CtdbClient.connect(socket.apply(k), OP_TIMEOUT_MS)) {
            CtdbDatabases dbs = new CtdbDatabases(c);
            int db = dbs.attach(PERSISTENT_DB, CtdbWire.DB_FLAGS_PERSISTENT);
            PersistentTransaction t = new PersistentTransaction(dbs, db);
            t.store(bytes(key(k)), bytes(Long.toString(value)));
            t.commit();
            sink.accept(new DbEvent(start, clock.getAsLong(), k, DbEvent.PWRITE, key(k), true, value, -1, -1, -1, ""));
        } catch (IOException | RuntimeException e) {
            sink.accept(DbEvent.failed(start, clock.getAsLong(), k, DbEvent.PWRITE, key(k), value, String.valueOf(e)));
        }
    }

    private void readAll(int k) {
        long start = clock.getAsLong();
        try (CtdbClient c = CtdbClient.connect(socket.apply(k), OP_TIMEOUT_MS)) {
            CtdbDatabases dbs = new CtdbDatabases(c);
            PersistentTransaction t =
                    new PersistentTransaction(dbs, dbs.attach(PERSISTENT_DB, CtdbWire.DB_FLAGS_PERSISTENT));
            long t1 = clock.getAsLong();
            for (int j = 0; j < nodes; j++) {
                String text = new String(t.fetch(bytes(key(j))).toArray(), StandardCharsets.UTF_8);
                long value;
                try {
                    value = text.isEmpty() ? 0 : Long.parseLong(text);
                } catch (NumberFormatException e) {
                    sink.accept(DbEvent.failed(start, t1, k, DbEvent.PREAD, key(j), -1, "not a number: " + text));
                    continue;
                }
                sink.accept(new DbEvent(start, t1, k, DbEvent.PREAD, key(j), true, value, -1, -1, -1, ""));
            }
        } catch (IOException | RuntimeException e) {
            sink.accept(DbEvent.failed(start, clock.getAsLong(), k, DbEvent.PREAD, "*", -1, String.valueOf(e)));
        }
    }

    private void fetch(int k, String key) {
        long start = clock.getAsLong();
        try (CtdbClient c = CtdbClient.connect(socket.apply(k), OP_TIMEOUT_MS)) {
            CtdbDatabases dbs = new CtdbDatabases(c);
            int db = dbs.attach(VOLATILE_DB, 0);
            long before = generation(c);
            byte[] stored = dbs.fetchWithHeader(db, bytes(key)).toArray();
            long after = generation(c);
            if (stored.length < LtdbHeader.SIZE) {
                throw new IOException(
                        "FETCH_WITH_HEADER answered " + stored.length + " bytes, less than a record header");
            }
            LtdbHeader h = LtdbHeader.decode(Arrays.copyOf(stored, LtdbHeader.SIZE));
            sink.accept(new DbEvent(
                    start,
                    clock.getAsLong(),
                    k,
                    DbEvent.VFETCH,
                    key,
                    true,
                    -1,
                    before == after ? before : -1,
                    h.rsn(),
                    h.dmaster(),
                    ""));
        } catch (IOException | BadPacketException | RuntimeException e) {
            sink.accept(DbEvent.failed(start, clock.getAsLong(), k, DbEvent.VFETCH, key, -1, String.valueOf(e)));
        }
    }

    /** The node's current generation (GETVNNMAP), as an unsigned number. */
    private static long generation(CtdbClient c) throws IOException, BadPacketException {
        ReplyControl r = c.control(CtdbWire.CURRENT_NODE, ControlOpcode.GETVNNMAP, 0, 0, new byte[0]);
        if (r.status() != 0) {
            throw new IOException("GETVNNMAP failed with status " + r.status());
        }
        return Integer.toUnsignedLong(VnnMap.decode(r.data().toArray()).generation());
    }

    private static Bytes bytes(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        stop.countDown();
        for (Thread t : threads) {
            try {
                t.join(2 * OP_TIMEOUT_MS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
