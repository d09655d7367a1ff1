package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.IpSnapshot;
import org.jctdb.database.DatabaseDirectories;
import org.jctdb.database.DatabaseFlags;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.TdbFiles;
import org.jctdb.database.TdbLibrary;
import org.jctdb.ip.RunState;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client socket's tick (SRVID_LEADER to local clients) sleeps until the daemon publishes a view
 * naming a leader the clients were not told about: woken for each new leader, never for a view that
 * names the announced one or none.
 */
class LeaderTimerTest {
    @TempDir
    Path tmp;

    private LocalDatabases dbs;
    private DatabaseWorker worker;
    private CtdbService service;
    private volatile ClusterView view = view(-1);
    private int wakes;

    private static ClusterView view(int leader) {
        return new ClusterView(0, List.of(), 1, List.of(0), 0, leader, 0, 0, 0, Optional.empty());
    }

    @BeforeEach
    void setUp() {
        TdbLibrary lib;
        try {
            lib = TdbLibrary.load();
        } catch (UnsatisfiedLinkError e) {
            TestEnvironment.require(false, "libtdb (Debian's libtdb1) is not installed: " + e.getMessage());
            throw e;
        }
        dbs = new LocalDatabases(new TdbFiles(lib), DatabaseDirectories.under(tmp), 0, DatabaseFlags.DEFAULT_HASH_SIZE);
        worker = new DatabaseWorker(new LockWaiter(tmp.resolve("no-helper")));
        service = new CtdbService(
                new CtdbCodec(1 << 20),
                new CtdbService.Host() {
                    @Override
                    public ClusterView view() {
                        return view;
                    }

                    @Override
                    public Tunables tunables() {
                        return Tunables.defaults();
                    }

                    @Override
                    public boolean leaderRole() {
                        return true;
                    }

                    @Override
                    public RunState runState() {
                        return RunState.RUNNING;
                    }

                    @Override
                    public Optional<IpSnapshot> ips() {
                        return Optional.empty();
                    }

                    @Override
                    public boolean send(int pnn, WireMessage message) {
                        return false;
                    }

                    @Override
                    public void requestRecovery(String reason) {}
                },
                dbs,
                worker,
                new Controls.Settings(4379));
        service.leaderTimer(() -> wakes++);
    }

    @AfterEach
    void tearDown() {
        service.close();
        worker.close();
        dbs.close();
    }

    @Test
    void aNewLeaderWakesTheTickAndNothingElseDoes() {
        service.viewChanged();
        assertThat(wakes).isZero(); // no leader: nothing to announce
        view = view(2);
        service.viewChanged();
        assertThat(wakes).isEqualTo(1); // due: a tick every second would announce it at the next point
        service.viewChanged();
        assertThat(wakes).isEqualTo(2); // not announced yet: still due (the timer keeps one run per point)
        service.tick(); // announced
        service.viewChanged();
        assertThat(wakes).isEqualTo(2); // the announced leader: no wake-up
        view = view(-1);
        service.viewChanged();
        assertThat(wakes).isEqualTo(2); // leader lost: nothing to announce
        view = view(1);
        service.viewChanged();
        assertThat(wakes).isEqualTo(3);
    }
}
