package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalDatabasesTest {
    @TempDir
    Path tmp;

    private TdbFiles files;
    private LocalDatabases dbs;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void setUp() {
        files = new TdbFiles(Libtdb.require());
        dbs = new LocalDatabases(files, DatabaseDirectories.under(tmp), 0, DatabaseFlags.DEFAULT_HASH_SIZE);
    }

    @AfterEach
    void tearDown() {
        children.forEach(Process::destroyForcibly);
        dbs.close();
    }

    @Test
    void dbIdsAreThoseOfCtdb417() {
        // `ctdb getdbmap` of a real ctdbd 4.17 (bench/ctdb/local-ctdb) after attaching these names.
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("locking.tdb", "0x7a19d84d");
        seen.put("brlock.tdb", "0x4e66c2b2");
        seen.put("g_lock.tdb", "0x4d2a432b");
        seen.put("smbXsrv_session_global.tdb", "0x6b06a26d");
        seen.put("registry.tdb", "0x6cf2837d");
        seen.put("secrets.tdb", "0x7132c184");
        seen.put("rep.tdb", "0x64c8480e");
        seen.forEach((name, id) -> assertThat(DbId.of(name)).hasToString(id));
    }

    @Test
    void filesAreNamedPlacedAndFlaggedAsCtdbDoes() throws Exception {
        Database locking = dbs.attach("locking.tdb", DatabaseKind.VOLATILE);
        Database registry = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        Database rep = dbs.attach("rep.tdb", DatabaseKind.REPLICATED);

        assertThat(locking.path()).isEqualTo(tmp.toRealPath().resolve("volatile/locking.tdb.0"));
        assertThat(registry.path()).isEqualTo(tmp.toRealPath().resolve("persistent/registry.tdb.0"));
        assertThat(rep.path()).isEqualTo(tmp.toRealPath().resolve("volatile/rep.tdb.0"));
        assertThat(locking.tdbFlags())
                .as("fcntl chain locks, never TDB_MUTEX_LOCKING")
                .isEqualTo(3137);
        assertThat(registry.tdbFlags()).isEqualTo(1024);
        assertThat(rep.tdbFlags()).isEqualTo(3137);
        assertThat(locking.file().hashSize()).isEqualTo(100001);
        assertThat(registry.file().hashSize()).isEqualTo(100001);
        assertThat(locking.id()).isEqualTo(DbId.of("locking.tdb"));
        assertThat(registry.dbFlags()).isEqualTo(DatabaseFlags.PERSISTENT);
        assertThat(rep.dbFlags()).isEqualTo(DatabaseFlags.REPLICATED);

        assertThat(dbs.attach("locking.tdb", DatabaseKind.VOLATILE)).isSameAs(locking);
        assertThatThrownBy(() -> dbs.attach("locking.tdb", DatabaseKind.PERSISTENT))
                .isInstanceOf(TdbException.class)
                .hasMessageContaining("already attached as VOLATILE");
        assertThat(dbs.list()).containsExactly(locking, registry, rep);
        assertThat(dbs.byId(registry.id())).contains(registry);
    }

    @Test
    void recordsWithHeadersReadBackAndTdbdumpShowsThem() throws Exception {
        Database locking = dbs.attach("locking.tdb", DatabaseKind.VOLATILE);
        Database registry = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        LtdbHeader h = new LtdbHeader(5, 0, LtdbHeader.FLAG_MIGRATED_WITH_DATA);
        byte[] key = "key1".getBytes(StandardCharsets.US_ASCII);
        for (Database db : List.of(locking, registry)) {
            assertThat(db.tryStore(key, h, "value1".getBytes(StandardCharsets.US_ASCII)))
                    .isTrue();
            Database.Fetched f = db.tryFetch(key);
            assertThat(f.status()).isEqualTo(Database.Status.FOUND);
            assertThat(f.record().orElseThrow())
                    .isEqualTo(new LtdbRecord(key, h, "value1".getBytes(StandardCharsets.US_ASCII)));
            assertThat(db.tryFetch("nope".getBytes(StandardCharsets.US_ASCII)).status())
                    .isEqualTo(Database.Status.MISSING);

            String dump = run(Libtdb.tool("tdbdump").toString(), db.path().toString());
            assertThat(dump)
                    .contains("key(4) = \"key1\"")
                    .contains(
                            "data(30) = \"\\05\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\01\\00\\00\\00\\00\\00value1\"");
        }
        assertThat(locking.tryDelete(key)).contains(true);
        assertThat(locking.tryDelete(key)).contains(false);
    }

    @Test
    void aFileIsOpenedOnlyOncePerProcess() throws Exception {
        Database registry = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        Path other = tmp.resolve("volatile/../persistent/registry.tdb.0");
        assertThatThrownBy(() -> files.open(other, 0, 0, 02, 0600))
                .isInstanceOf(TdbException.class)
                .hasMessageContaining("already open in this process");
        assertThat(files.find(other)).contains(registry.file());
        dbs.close();
        assertThat(files.openCount()).isZero();
        try (TdbFile again = files.open(other, 0, 0, 02, 0600)) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DatabaseKind.class,
            names = {"VOLATILE", "PERSISTENT"})
    void aChainHeldByAnotherProcessIsBusyAndTheHelperSignalsItsRelease(DatabaseKind kind) throws Exception {
        Database db = dbs.attach("g_lock.tdb", kind);
        byte[] key = "held".getBytes(StandardCharsets.US_ASCII);
        byte[] otherKey = "free".getBytes(StandardCharsets.US_ASCII);
        assertThat(db.tryStore(key, new LtdbHeader(1, 0, 0), new byte[] {1})).isTrue();

        Process holder = hold(db, key);
        long start = System.nanoTime();
        assertThat(db.tryFetch(key).status()).isEqualTo(Database.Status.BUSY);
        assertThat(db.tryStore(key, new LtdbHeader(2, 0, 0), new byte[] {2})).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(db.tryStore(otherKey, new LtdbHeader(1, 0, 0), new byte[] {3}))
                .isTrue();

        CompletableFuture<Void> released = new LockWaiter(Libtdb.lockWaitHelper()).waitForChain(db.file(), key);
        Thread.sleep(300);
        assertThat(released).isNotDone();
        holder.getOutputStream().close();
        released.get(10, TimeUnit.SECONDS);
        assertThat(db.tryFetch(key).record().orElseThrow().data()).containsExactly(1);
    }

    @Test
    void aHeldChainIsLentToTheDaemonUntilReleasedSoNoClientGetsInBetween() throws Exception {
        Database db = dbs.attach("locking.tdb", DatabaseKind.VOLATILE);
        byte[] key = "hot".getBytes(StandardCharsets.US_ASCII);
        assertThat(db.tryStore(key, new LtdbHeader(1, 0, 0), new byte[] {1})).isTrue();
        Process client = hold(db, key);

        CompletableFuture<LockWaiter.HeldLock> lent = new LockWaiter(Libtdb.lockWaitHelper()).holdChain(db.file(), key);
        Thread.sleep(300);
        assertThat(lent).isNotDone();
        client.getOutputStream().close();
        LockWaiter.HeldLock held = lent.get(10, TimeUnit.SECONDS);

        // the helper still holds the chain: a try fails, while the lent lock lets this daemon read and write
        assertThat(db.tryStore(key, new LtdbHeader(9, 0, 0), new byte[] {9})).isFalse();
        byte[] stored = new LtdbHeader(2, 0, 0).encode(new byte[] {2});
        byte[] seen = db.file().underLentChainLock(key, () -> {
            byte[] before = db.file().fetch(key).orElseThrow();
            db.file().store(key, stored);
            return before;
        });
        assertThat(LtdbHeader.dataOf(seen)).containsExactly(1);
        assertThat(db.tryStore(key, new LtdbHeader(9, 0, 0), new byte[] {9})).isFalse();

        held.release();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.tryFetch(key).status() == Database.Status.BUSY && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(db.tryFetch(key).record().orElseThrow().data()).containsExactly(2);
        held.release(); // twice is harmless
    }

    @Test
    void waitForAllCompletesOnceNoChainIsHeld() throws Exception {
        Database db = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        byte[] key = "k".getBytes(StandardCharsets.US_ASCII);
        Process holder = hold(db, key);
        assertThat(db.tryTraverse(r -> true)).isFalse();
        assertThat(db.tryApplyTransaction(List.of(new LtdbRecord(key, new LtdbHeader(1, 0, 0), new byte[] {1}))))
                .isEmpty();
        assertThat(db.tryWipe()).isFalse();
        CompletableFuture<Void> free = new LockWaiter(Libtdb.lockWaitHelper()).waitForAll(db.file());
        Thread.sleep(300);
        assertThat(free).isNotDone();
        holder.getOutputStream().close();
        free.get(10, TimeUnit.SECONDS);
        assertThat(db.tryApplyTransaction(List.of(new LtdbRecord(key, new LtdbHeader(1, 0, 0), new byte[] {1}))))
                .contains(1L);
    }

    @Test
    void persistentTransactionIsAllOrNothingAndBumpsTheSequenceNumber() throws Exception {
        Database db = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        byte[] a = "a".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "b".getBytes(StandardCharsets.US_ASCII);
        assertThat(db.trySequenceNumber()).hasValue(0);

        assertThat(db.tryApplyTransaction(List.of(
                        new LtdbRecord(a, new LtdbHeader(1, 0, 0), new byte[] {1}),
                        new LtdbRecord(b, new LtdbHeader(1, 0, 0), new byte[] {1}))))
                .contains(1L);
        assertThat(db.trySequenceNumber()).hasValue(1);

        // b's RSN does not grow while its data changes: nothing of this transaction lands.
        assertThatThrownBy(() -> db.tryApplyTransaction(List.of(
                        new LtdbRecord(a, new LtdbHeader(2, 0, 0), new byte[] {2}),
                        new LtdbRecord(b, new LtdbHeader(1, 0, 0), new byte[] {2}))))
                .isInstanceOf(TdbException.class)
                .hasMessageContaining("RSN");
        assertThat(db.tryFetch(a).record().orElseThrow().data()).containsExactly(1);
        assertThat(db.tryFetch(b).record().orElseThrow().data()).containsExactly(1);
        assertThat(db.trySequenceNumber()).hasValue(1);

        // A client (smbd, ctdb ptrans) writes the sequence number itself: taken as given.
        assertThat(db.tryApplyTransaction(List.of(
                        new LtdbRecord(a, new LtdbHeader(2, 0, 0), new byte[] {2}),
                        new LtdbRecord(Database.seqnumKey(), new LtdbHeader(2, 0, 0), Database.seqnumData(7)))))
                .contains(7L);
        assertThat(db.trySequenceNumber()).hasValue(7);

        String dump = run(Libtdb.tool("tdbdump").toString(), db.path().toString());
        assertThat(dump).contains("key(23) = \"__db_sequence_number__\\00\"");
        assertThatThrownBy(
                        () -> dbs.attach("locking.tdb", DatabaseKind.VOLATILE).tryApplyTransaction(List.of()))
                .isInstanceOf(TdbException.class)
                .hasMessageContaining("volatile");
    }

    @Test
    void traverseYieldsKeyHeaderAndDataAndWipeEmpties() throws Exception {
        Database db = dbs.attach("brlock.tdb", DatabaseKind.VOLATILE);
        Map<String, LtdbRecord> stored = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            LtdbHeader h = new LtdbHeader(i, i % 3, LtdbHeader.FLAG_AUTOMATIC);
            byte[] data = new byte[i];
            assertThat(db.tryStore(key, h, data)).isTrue();
            stored.put("k" + i, new LtdbRecord(key, h, data));
        }
        db.file().store("short".getBytes(StandardCharsets.US_ASCII), new byte[3]);
        Map<String, LtdbRecord> seen = new LinkedHashMap<>();
        assertThat(db.tryTraverse(r -> {
                    seen.put(new String(r.key(), StandardCharsets.US_ASCII), r);
                    return true;
                }))
                .isTrue();
        assertThat(seen).isEqualTo(stored);

        int[] count = new int[1];
        assertThat(db.tryTraverse(r -> ++count[0] < 5)).isTrue();
        assertThat(count[0]).isEqualTo(5);

        assertThat(db.tryWipe()).isTrue();
        assertThat(db.tryTraverse(r -> {
                    throw new AssertionError("wiped database still has " + r);
                }))
                .isTrue();
    }

    @Test
    void volatileFilesStartEmptyAndPersistentOnesSurviveAReattach() throws Exception {
        byte[] key = "k".getBytes(StandardCharsets.US_ASCII);
        dbs.attach("locking.tdb", DatabaseKind.VOLATILE).tryStore(key, new LtdbHeader(1, 0, 0), new byte[] {1});
        dbs.attach("registry.tdb", DatabaseKind.PERSISTENT)
                .tryApplyTransaction(List.of(new LtdbRecord(key, new LtdbHeader(1, 0, 0), new byte[] {1})));
        dbs.close();

        dbs = new LocalDatabases(files, DatabaseDirectories.under(tmp), 0, DatabaseFlags.DEFAULT_HASH_SIZE);
        assertThat(dbs.attach("locking.tdb", DatabaseKind.VOLATILE)
                        .tryFetch(key)
                        .status())
                .isEqualTo(Database.Status.MISSING);
        Database registry = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        assertThat(registry.tryFetch(key).status()).isEqualTo(Database.Status.FOUND);
        assertThat(registry.trySequenceNumber()).hasValue(1);
    }

    @Test
    void ltdbtoolReadsOurFiles() throws Exception {
        Path ltdbtool = Libtdb.tool("ltdbtool");
        Database db = dbs.attach("registry.tdb", DatabaseKind.PERSISTENT);
        db.tryStore(
                "key1".getBytes(StandardCharsets.US_ASCII),
                new LtdbHeader(9, 2, 0),
                "v".getBytes(StandardCharsets.US_ASCII));
        assertThat(run(ltdbtool.toString(), "dump", "-p", db.path().toString()))
                .contains("key(4) = \"key1\"")
                .contains("rsn: 9")
                .contains("dmaster: 2");
    }

    /** A second process holding the chain lock of {@code key}, as smbd would, until its stdin closes. */
    private Process hold(Database db, byte[] key) throws IOException {
        Process p = new ProcessBuilder(
                        Libtdb.lockWaitHelper().toString(),
                        "hold",
                        db.path().toString(),
                        Integer.toString(db.tdbFlags()),
                        HexFormat.of().formatHex(key))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(p);
        InputStream out = p.getInputStream();
        assertThat(new String(out.readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("0\n");
        return p;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            // no input
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
