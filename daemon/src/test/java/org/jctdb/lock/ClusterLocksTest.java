package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How a [cluster] cluster lock value becomes a helper command line. */
class ClusterLocksTest {
    private static final Path SH = Path.of("/bin/sh"); // any executable stands in for our helper

    @Test
    void noneConfigured() {
        assertThat(ClusterLocks.commandFor(null, SH)).isEmpty();
        assertThat(ClusterLocks.commandFor("  ", SH)).isEmpty();
        assertThat(ClusterLocks.fromConfig("", SH, (r, d) -> {}, HelperProcessLock.Timing.defaults()))
                .isEmpty();
    }

    @Test
    void bangRunsTheHelperWithArgumentsSplitOnBlanks() {
        assertThat(ClusterLocks.commandFor("!/usr/libexec/ctdb/ctdb_mutex_fcntl_helper  /cfs/reclock\t10", SH))
                .containsExactly("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper", "/cfs/reclock", "10");
    }

    @Test
    void aPathUsesOurFcntlHelperWithItsRecheckSettings() {
        assertThat(ClusterLocks.commandFor("/cfs/.ctdb/reclock", SH))
                .containsExactly("/bin/sh", "/cfs/.ctdb/reclock", "5", "5");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> ClusterLocks.commandFor("!", SH)).hasMessageContaining("must be followed");
        assertThatThrownBy(() -> ClusterLocks.commandFor("!helper x", SH)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ClusterLocks.commandFor("reclock", SH)).hasMessageContaining("absolute");
        assertThatThrownBy(() -> ClusterLocks.commandFor("/cfs/reclock", Path.of("/nonexistent/helper")))
                .hasMessageContaining("/nonexistent/helper");
    }

    @Test
    void onlyAPathIsALockFileToProbe() {
        assertThat(ClusterLocks.lockFile("/cfs/.ctdb/reclock")).contains(java.nio.file.Path.of("/cfs/.ctdb/reclock"));
        assertThat(ClusterLocks.lockFile("etcd:10.0.0.1")).isEmpty();
        assertThat(ClusterLocks.lockFile("zookeeper:zk1")).isEmpty();
        assertThat(ClusterLocks.lockFile("!/bin/helper")).isEmpty();
    }
}
