package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseDirectories;
import org.jctdb.database.DatabaseFlags;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.Libtdb;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.TdbFiles;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster-wide traverse on node 0 of three, with real TDB files and the database thread, the other nodes
 * played by the test: records of every node reach the client, then the end record; a node that disconnects,
 * sends garbage or never ends ends the traverse (never a hang), and a node that was not asked is ignored.
 */
class ClusterTraverseTest {
    private static final long SRVID = 0xF100000000000001L;

    @TempDir
    Path tmp;

    private LocalDatabases dbs;
    private DatabaseWorker worker;
    private ClusterTraverse traverse;
    private Database db;
    private final List<WireMessage> sent = new CopyOnWriteArrayList<>();
    private final List<RecData> delivered = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    /** Where the expiry timer was moved to (Long.MAX_VALUE: no run), and the task it runs. */
    private final List<Long> expiryAt = new CopyOnWriteArrayList<>();

    private Runnable expiry;

    @BeforeEach
    void setUp() throws Exception {
        dbs = new LocalDatabases(
                new TdbFiles(Libtdb.require()), DatabaseDirectories.under(tmp), 0, DatabaseFlags.DEFAULT_HASH_SIZE);
        worker = new DatabaseWorker(new LockWaiter(tmp.resolve("no-helper")));
        db = dbs.attach("trav.tdb", DatabaseKind.VOLATILE);
        db.file().store("mine".getBytes(), new LtdbHeader(3, 0, 0).encode("here".getBytes()));
        db.file().store("stale".getBytes(), new LtdbHeader(2, 1, 0).encode("old".getBytes()));
        db.file().store("empty".getBytes(), new LtdbHeader(4, 0, 0).encode(new byte[0]));
        traverse = new ClusterTraverse(
                new ClusterTraverse.Host() {
                    @Override
                    public int pnn() {
                        return 0;
                    }

                    @Override
                    public List<Integer> activePeers() {
                        return List.of(1, 2);
                    }

                    @Override
                    public boolean send(int pnn, WireMessage message) {
                        sent.add(message);
                        return true;
                    }

                    @Override
                    public void deliverLocal(ReqMessage m) {
                        assertThat(m.srvid()).isEqualTo(SRVID);
                        try {
                            delivered.add(RecData.decode(m.data().toArray()));
                        } catch (BadPacketException e) {
                            throw new AssertionError(e);
                        }
                    }

                    @Override
                    public long timeoutMillis() {
                        return 20_000;
                    }

                    @Override
                    public void timedOut() {}
                },
                worker,
                dbs,
                clock::get,
                task -> {
                    expiry = task;
                    return expiryAt::add;
                });
    }

    @AfterEach
    void tearDown() {
        worker.close();
        dbs.close();
    }

    private long started() {
        traverse.start(db, 77, SRVID, false, false);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
        assertThat(sent)
                .allMatch(m -> m instanceof WireMessage.TraverseAll t
                        && t.dbId() == db.id().value());
        return ((WireMessage.TraverseAll) sent.get(0)).id();
    }

    private static WireMessage.TraverseData data(long id, boolean end, String... keys) {
        List<RecData> recs = new java.util.ArrayList<>();
        for (String k : keys) {
            recs.add(new RecData(0, Bytes.ofUtf8(k), Bytes.of(new LtdbHeader(9, 1, 0).encode("v".getBytes()))));
        }
        return new WireMessage.TraverseData(id, new RecBuffer(1, recs).encode(), end);
    }

    /** Waits until what is queued on the database thread ran. */
    private void drain() {
        worker.call("drain", () -> DatabaseWorker.Outcome.done(Boolean.TRUE)).join();
    }

    private List<String> keys() {
        return delivered.stream().map(r -> r.key().toUtf8()).toList();
    }

    private void awaitEnd() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> !delivered.isEmpty()
                        && delivered.get(delivered.size() - 1).key().length() == 0);
    }

    @Test
    void everyNodesRecordsThenTheEndRecord() {
        long id = started();
        drain();
        assertThat(expiryAt).last().isEqualTo(21_000L);
        traverse.data(1, data(id, false, "a"));
        traverse.data(1, data(id, true, "b"));
        traverse.data(3, data(id, true, "from-a-node-not-asked"));
        traverse.data(2, data(id, true));
        awaitEnd();
        // this node's own records: only those it is data master of, without the empty one
        assertThat(keys()).containsExactlyInAnyOrder("mine", "a", "b", "");
        assertThat(keys().get(keys().size() - 1)).isEmpty();
        assertThat(delivered).allMatch(r -> r.reqid() == 77);
    }

    @Test
    void aNodeThatDisconnectsEndsTheTraverse() {
        long id = started();
        traverse.data(1, data(id, true, "a"));
        traverse.peerDisconnected(2);
        awaitEnd();
        assertThat(keys()).containsExactlyInAnyOrder("mine", "a", "");
        traverse.data(2, data(id, true, "late")); // after the end: dropped
        drain();
        assertThat(keys()).doesNotContain("late").endsWith("");
    }

    @Test
    void garbageFromANodeEndsTheTraverse() {
        long id = started();
        traverse.data(1, new WireMessage.TraverseData(id, new byte[] {1, 2, 3}, true));
        awaitEnd();
        assertThat(keys()).endsWith("");
    }

    @Test
    void aNodeThatNeverEndsIsCutOffByTheTimeout() {
        long id = started();
        traverse.data(1, data(id, true));
        drain();
        assertThat(expiryAt).last().isEqualTo(21_000L); // armed for its TraverseTimeout, not every second
        clock.addAndGet(19_999);
        worker.execute(expiry); // a run before the deadline (none is armed there) ends nothing
        drain();
        assertThat(delivered).noneMatch(r -> r.key().length() == 0);
        assertThat(expiryAt).last().isEqualTo(21_000L);
        clock.addAndGet(1);
        worker.execute(expiry); // the timer's run, at the deadline
        awaitEnd();
        assertThat(keys()).containsExactlyInAnyOrder("mine", "");
        drain();
        assertThat(expiryAt).last().isEqualTo(Long.MAX_VALUE); // none runs: the timer sleeps
    }

    @Test
    void theExpiryTimerFollowsTheEarliestRunningTraverseAndSleepsWithoutOne() {
        assertThat(expiryAt).isEmpty(); // nothing armed at start: an idle node is not woken
        long first = started();
        clock.addAndGet(5_000);
        traverse.start(db, 78, SRVID, false, false);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 4);
        long second = ((WireMessage.TraverseAll) sent.get(2)).id();
        drain();
        assertThat(expiryAt).last().isEqualTo(21_000L); // the first's deadline, the earlier
        traverse.data(1, data(first, true));
        traverse.data(2, data(first, true));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> expiryAt.get(expiryAt.size() - 1) == 26_000L);
        traverse.data(1, data(second, true));
        traverse.data(2, data(second, true));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> expiryAt.get(expiryAt.size() - 1) == Long.MAX_VALUE);
    }

    @Test
    void anotherNodesRequestGetsOnlyOurDataMasterRecordsInBatches() throws Exception {
        traverse.traverseAll(1, new WireMessage.TraverseAll(5, db.id().value(), true));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());
        WireMessage.TraverseData d = (WireMessage.TraverseData) sent.get(0);
        assertThat(d.id()).isEqualTo(5);
        assertThat(d.end()).isTrue();
        assertThat(RecBuffer.decode(d.records()).records().stream()
                        .map(r -> r.key().toUtf8())
                        .toList())
                .containsExactlyInAnyOrder("mine", "empty");
    }
}
