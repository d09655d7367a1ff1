package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The etcd and ZooKeeper clients' jars (the installation's lib/lock) are on the daemon's class path
 * only when ctdb.conf's cluster lock names one of them (bin/jctdbd), and a daemon started without
 * them for such a lock refuses to start saying why instead of failing on its first lock attempt.
 */
class LockClientClassPathIT {
    private static final Path HOME = LocalClusterHarness.home();

    @Test
    void theLockClientsAreInstalledApartFromTheDaemonsJars() throws IOException {
        Path lib = HOME.resolve("target/lib");
        try (Stream<Path> base = Files.list(lib);
                Stream<Path> lock = Files.list(lib.resolve("lock"))) {
            assertThat(base.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("jctdb-daemon-"))
                    .noneMatch(n -> n.startsWith("jetcd-") || n.startsWith("curator-") || n.startsWith("zookeeper-"));
            assertThat(lock.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("jetcd-core-"))
                    .anyMatch(n -> n.startsWith("curator-recipes-"))
                    .noneMatch(n -> n.startsWith("jctdb-") || n.startsWith("netty-transport-"));
        }
    }

    @Test
    void jctdbdAddsThemOnlyForAnEtcdOrZooKeeperLock() throws Exception {
        assertThat(classPath("[cluster]\n  Cluster   Lock = etcd:127.0.0.1:2379/jctdb\n"))
                .contains("/lib/lock/jetcd-core-");
        assertThat(classPath("[cluster]\nrecovery lock=zookeeper:127.0.0.1\n")).contains("/lib/lock/curator-client-");
        assertThat(classPath("[cluster]\ncluster lock = /cfs/.ctdb/reclock\n")).doesNotContain("/lib/lock/");
        assertThat(classPath("[cluster]\n# cluster lock = etcd:127.0.0.1\n")).doesNotContain("/lib/lock/");
        assertThat(classPath(null)).doesNotContain("/lib/lock/");
    }

    @Test
    void aDaemonWithoutThemRefusesSuchALockSayingWhy() throws Exception {
        for (String[] lock : new String[][] {
            {
                "etcd:127.0.0.1:1/jctdb",
                "cluster lock etcd: the etcd client (io.etcd.jetcd.Client) is not on the class path"
            },
            {"zookeeper:127.0.0.1:1", "cluster lock zookeeper: the zookeeper client"},
        }) {
            Path dir = node("[cluster]\nauthentication = none\ncluster lock = " + lock[0] + "\n");
            // The class path bin/jctdbd gives a node whose ctdb.conf names no such lock.
            Result r = LocalClusterHarness.exec(
                    dir, "java", "-cp", HOME.resolve("target/lib") + "/*", "org.jctdb.daemon.DaemonMain", "-i");
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(r.stderr()).as("%s", r).contains(lock[1]);
        }
    }

    /** The class path bin/jctdbd starts the JVM with for this ctdb.conf (null: none), as the JVM expands it (--help: it exits). */
    private static String classPath(String ctdbConf) throws Exception {
        Path dir = node(ctdbConf);
        Result r = LocalClusterHarness.exec(
                dir,
                "env",
                "JCTDB_DAEMON_JVM_OPTS=-XshowSettings:properties",
                HOME.resolve("bin/jctdbd").toString(),
                "--help");
        assertThat(r.exitCode()).as("%s", r).isZero();
        // One entry a line after "java.class.path =", up to the next property.
        String out = r.stderr();
        int from = out.indexOf("java.class.path =");
        int to = out.indexOf("java.class.version =");
        assertThat(from).as(out).isNotNegative().isLessThan(to);
        String cp = out.substring(from, to);
        assertThat(cp).contains("/lib/jctdb-daemon-");
        return cp;
    }

    private static Path node(String ctdbConf) throws IOException {
        Path dir = Files.createTempDirectory("jctdb-lock-cp");
        Files.writeString(dir.resolve("nodes"), "127.0.0.1\n");
        if (ctdbConf != null) {
            Files.writeString(dir.resolve("ctdb.conf"), ctdbConf);
        }
        return dir;
    }
}
