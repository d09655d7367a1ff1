package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jctdb.control.ClusterView;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseDirectories;
import org.jctdb.database.DatabaseFlags;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.Libtdb;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.TdbFiles;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.transport.RecordingScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database thread's timers of an idle node (the daemon's I/O thread): only the vacuum pass is armed;
 * the sequence-number rounds wait for ENABLE_SEQNUM and the migration stats log for a migration step. The
 * client socket's tick (SRVID_LEADER to local clients) waits for a view naming a leader the clients were
 * not told about.
 */
class IdleTimersTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private LocalDatabases dbs;
    private final RecordingScheduler thread = new RecordingScheduler();
    private CtdbService service;
    private volatile ClusterView view = view(-1);
    private int leaderWakes;

    private static ClusterView view(int leader) {
        return new ClusterView(0, List.of(), 1, List.of(0), 0, leader, 0, 0, 0, Optional.empty());
    }

    @BeforeEach
    void setUp() {
        dbs = new LocalDatabases(
                new TdbFiles(Libtdb.require()), DatabaseDirectories.under(tmp), 0, DatabaseFlags.DEFAULT_HASH_SIZE);
        DatabaseWorker worker = new DatabaseWorker(new LockWaiter(tmp.resolve("no-helper")), thread);
        service = new CtdbService(
                new CtdbCodec(1 << 20),
                new StubHost(() -> view, (pnn, m) -> false),
                dbs,
                worker,
                new Controls.Settings(4379));
        service.leaderTimer(() -> leaderWakes++);
    }

    @AfterEach
    void tearDown() {
        service.close();
        dbs.close();
    }

    @Test
    void anIdleServiceArmsOnlyItsVacuumPass() {
        assertThat(thread.pending()).hasSize(1);
        // VacuumInterval 10: the tenth point of the one-second grid from now, not the next one
        assertThat(thread.pending().get(0).delayNanos())
                .isGreaterThan(9 * SECOND)
                .isLessThanOrEqualTo(10 * SECOND);
    }

    @Test
    void sequenceNumberRoundsRunOnlyWhileADatabaseHasThemEnabled() throws Exception {
        int before = thread.timers().size();
        service.seqnums().enabled(); // ENABLE_SEQNUM answered: a round at the next point (SeqnumInterval 1 s)
        List<RecordingScheduler.Timer> armed =
                thread.timers().subList(before, thread.timers().size());
        assertThat(armed).hasSize(1);
        assertThat(armed.get(0).delayNanos()).isLessThanOrEqualTo(SECOND);
        service.seqnums().enabled(); // one round at a time
        assertThat(thread.timers()).hasSize(before + 1);

        Database d = dbs.attach("seq.tdb", DatabaseKind.VOLATILE);
        d.enableSeqnum();
        armed.get(0).cancelled()[0] = true;
        armed.get(0).task().run(); // a round: a database has them enabled, so the next round is due
        assertThat(thread.timers()).hasSize(before + 2);

        dbs.detach(d.id());
        RecordingScheduler.Timer next = thread.timers().get(before + 1);
        next.cancelled()[0] = true;
        next.task().run(); // none enabled any more: no next round
        assertThat(thread.timers()).hasSize(before + 2);
    }

    @Test
    void theMigrationStatsLogIsArmedByAMigrationStepOnly() throws Exception {
        int before = thread.timers().size();
        Database d = dbs.attach("mig.tdb", DatabaseKind.VOLATILE);
        service.cluster().call(d, "k".getBytes(), (r, e) -> {}); // a client's call: one migration step
        List<RecordingScheduler.Timer> armed =
                thread.timers().subList(before, thread.timers().size());
        assertThat(armed).hasSize(1); // the stats log, at the next 10 s point
        assertThat(armed.get(0).delayNanos()).isLessThanOrEqualTo(10 * SECOND);
        service.cluster().call(d, "k2".getBytes(), (r, e) -> {});
        assertThat(thread.timers()).hasSize(before + 1); // already armed
        armed.get(0).cancelled()[0] = true;
        armed.get(0).task().run(); // the log ran: nothing re-armed until the next step
        assertThat(thread.timers()).hasSize(before + 1);
        service.cluster().call(d, "k3".getBytes(), (r, e) -> {});
        assertThat(thread.timers()).hasSize(before + 2);
    }

    @Test
    void aNewLeaderWakesTheClientTickAndNothingElseDoes() {
        service.viewChanged();
        assertThat(leaderWakes).isZero(); // no leader: nothing to announce
        view = view(2);
        service.viewChanged();
        assertThat(leaderWakes).isEqualTo(1); // due: a tick every second would announce it at the next point
        service.viewChanged();
        assertThat(leaderWakes).isEqualTo(2); // not announced yet: still due (the timer keeps one run per point)
        service.tick(); // announced
        service.viewChanged();
        assertThat(leaderWakes).isEqualTo(2); // the announced leader: no wake-up
        view = view(-1);
        service.viewChanged();
        assertThat(leaderWakes).isEqualTo(2); // leader lost: nothing to announce
        view = view(1);
        service.viewChanged();
        assertThat(leaderWakes).isEqualTo(3);
    }
}
