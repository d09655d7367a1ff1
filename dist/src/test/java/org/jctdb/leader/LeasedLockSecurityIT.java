package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.jctdb.lab.LocalLockServer;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The etcd cluster lock over TLS with a client certificate and an etcd user (auth enabled), against a
 * real etcd started by the test with certificates openssl makes here: the lock is taken; a wrong
 * password and a CA that did not sign the server's certificate leave the node without the lock and
 * say why in `jctdb health` (text and -X), without a crash; a key that cannot be used stops
 * jctdbd at start with the file's name.
 */
class LeasedLockSecurityIT {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String PASSWORD = "s3cret-jctdb-lock";

    @Test
    void tlsClientCertificateAndPasswordTakeTheLockAndEachMistakeIsNamed() throws Exception {
        TestEnvironment.require(LocalLockServer.missing(LocalLockServer.Kind.ETCD));
        TestEnvironment.require(Files.isExecutable(OPENSSL), OPENSSL + " is missing: apt-get install openssl");
        Path dir = Files.createTempDirectory("jctdb-etcd-tls-");
        Path pki = Files.createDirectories(dir.resolve("pki"));
        ca(pki, "ca");
        ca(pki, "rogue-ca");
        signed(pki, "ca", "server", "etcd", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        signed(pki, "ca", "client", "jctdb-node", "extendedKeyUsage=clientAuth");
        // What the daemons are given; the test swaps the contents between runs.
        Path daemonCa = pki.resolve("daemon-ca.pem");
        Files.copy(pki.resolve("ca.pem"), daemonCa);
        Path passwordFile = pki.resolve("lock-password");
        Files.writeString(passwordFile, PASSWORD + "\n");

        long start = System.nanoTime();
        LocalLockServer etcd = LocalLockServer.startEtcd(
                dir.resolve("etcd"),
                new LocalLockServer.EtcdTls(
                        pki.resolve("ca.pem"), pki.resolve("server.pem"), pki.resolve("server-key.pem")),
                30_000);
        String endpoint = "127.0.0.1:" + etcd.port();
        String lock = "etcd:" + endpoint + "/jctdb/cluster-lock?ttl=5&cacert=" + daemonCa + "&cert="
                + pki.resolve("client.pem") + "&key=" + pki.resolve("client-key.pem") + "&user=jctdb&password-file="
                + passwordFile;
        try {
            enableAuth(endpoint, pki);
            try (Client root = client(endpoint, pki, "root", "rootpw");
                    LocalClusterHarness c = LocalClusterHarness.up(1, List.of("--cluster-lock", lock))) {
                // Taken: etcd names node 0's daemon as the holder, and this node leads without lock trouble.
                await().atMost(Duration.ofSeconds(20)).until(() -> holder(root).contains("pid " + c.pid(0) + " "));
                await().atMost(Duration.ofSeconds(10)).until(() -> LeaderIT.agreedLeader(c, java.util.Set.of(0)) == 0);
                assertThat(c.query(0, "health", "-X").stdout())
                        .endsWith("|Lock|LockState|Since|Seconds|Reason|Action|\n");
                assertThat(c.log(0)).contains("TLS with client certificate, user jctdb");
                System.out.printf(
                        "lock taken over TLS with user jctdb %d ms into the test%n",
                        (System.nanoTime() - start) / 1_000_000);

                // A wrong password: no lock, and health says why (the daemon stays up).
                restart(c, () -> Files.writeString(passwordFile, "wrong-password\n"));
                String row = awaitTrouble(c);
                assertThat(field(row, 2)).isEqualTo("UNAVAILABLE");
                assertThat(field(row, 5))
                        .contains("authentication failed for etcd user jctdb (wrong password in password-file="
                                + passwordFile);
                assertThat(c.query(0, "health").stdout()).contains("cannot be taken (UNAVAILABLE)", "reason: ");
                assertThat(holder(root)).isEmpty();

                // The right password but a CA that did not sign the server's certificate.
                restart(c, () -> {
                    Files.writeString(passwordFile, PASSWORD + "\n");
                    Files.copy(pki.resolve("rogue-ca.pem"), daemonCa, StandardCopyOption.REPLACE_EXISTING);
                });
                row = awaitTrouble(c);
                assertThat(field(row, 2)).isEqualTo("UNAVAILABLE");
                assertThat(field(row, 5))
                        .contains(
                                "TLS handshake failed: the server's certificate is not trusted by cacert=" + daemonCa);
                assertThat(holder(root)).isEmpty();
                System.out.println("untrusted CA, as health -X reports it: " + row.strip());

                // Files that cannot be used stop the daemon at start, naming the option and the file.
                Files.copy(pki.resolve("ca.pem"), daemonCa, StandardCopyOption.REPLACE_EXISTING);
                stop(c);
                Files.writeString(
                        pki.resolve("client-key.pem"),
                        "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
                assertThat(startFails(c)).contains("key=" + pki.resolve("client-key.pem") + " cannot be used");
                System.out.printf("all cases done %d ms into the test%n", (System.nanoTime() - start) / 1_000_000);
            }
        } finally {
            LocalLockServer.stop(dir.resolve("etcd"));
        }
    }

    @Test
    void zooKeeperDigestCredentialsTakeTheLockProtectItsNodesAndAWrongPasswordIsNamed() throws Exception {
        TestEnvironment.require(LocalLockServer.missing(LocalLockServer.Kind.ZOOKEEPER));
        Path dir = Files.createTempDirectory("jctdb-zk-digest-");
        Path passwordFile = dir.resolve("lock-password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        LocalLockServer zk = LocalLockServer.start(LocalLockServer.Kind.ZOOKEEPER, dir.resolve("zookeeper"), 30_000);
        String lock = zk.clusterLock(5) + "&user=jctdb&password-file=" + passwordFile;
        String connect = "127.0.0.1:" + zk.port();
        try (CuratorFramework owner = CuratorFrameworkFactory.builder()
                        .connectString(connect)
                        .retryPolicy(new RetryNTimes(1, 100))
                        .authorization("digest", ("jctdb:" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                        .build();
                CuratorFramework stranger = CuratorFrameworkFactory.newClient(connect, new RetryNTimes(1, 100));
                LocalClusterHarness c = LocalClusterHarness.up(1, List.of("--cluster-lock", lock))) {
            owner.start();
            stranger.start();
            String path = "/jctdb/cluster-lock";
            String[] node = {""};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<String> kids = owner.checkExists().forPath(path) == null
                        ? List.of()
                        : owner.getChildren().forPath(path);
                node[0] = kids.isEmpty() ? "" : path + "/" + kids.get(0);
                return !node[0].isEmpty()
                        && new String(owner.getData().forPath(node[0]), StandardCharsets.UTF_8)
                                .contains("pid " + c.pid(0) + " ");
            });
            // Creator-only ACLs: a client without the identity can neither read the lock node nor delete it.
            assertThatThrownBy(() -> stranger.getData().forPath(node[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.delete().forPath(node[0]))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(c.log(0)).contains("digest user jctdb");

            restart(c, () -> Files.writeString(passwordFile, "wrong-password\n"));
            String row = awaitTrouble(c);
            assertThat(field(row, 2)).isEqualTo("UNAVAILABLE");
            assertThat(field(row, 5))
                    .contains("(NoAuth): wrong password for digest user jctdb, or the path belongs to another user");
        } finally {
            LocalLockServer.stop(dir.resolve("zookeeper"));
        }
    }

    private interface Change {
        void apply() throws Exception;
    }

    /** Stops node 0 (its lease is revoked), applies {@code change}, starts it again. */
    private static void restart(LocalClusterHarness c, Change change) throws Exception {
        stop(c);
        change.apply();
        LocalClusterHarness.Result r = c.startNode(0);
        assertThat(r.exitCode())
                .as("jctdbd start:\n%s\n%s", r.stdout(), r.stderr())
                .isZero();
    }

    private static void stop(LocalClusterHarness c) throws Exception {
        long pid = c.pid(0);
        LocalClusterHarness.signal(pid, "TERM");
        ProcessHandle.of(pid)
                .ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
    }

    private static String startFails(LocalClusterHarness c) throws Exception {
        LocalClusterHarness.Result r = c.startNode(0);
        assertThat(r.exitCode()).as("jctdbd must refuse to start").isNotZero();
        return r.stdout() + r.stderr() + c.log(0);
    }

    /** Node 0's lock row of `health -X` once it reports trouble. */
    private static String awaitTrouble(LocalClusterHarness c) {
        String[] row = {""};
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    List<String> lines =
                            c.query(0, "health", "-X").stdout().lines().toList();
                    int header = lines.indexOf("|Lock|LockState|Since|Seconds|Reason|Action|");
                    row[0] = header >= 0 && header + 1 < lines.size() ? lines.get(header + 1) : "";
                    return !row[0].isEmpty();
                });
        System.out.printf("lock trouble reported %d ms after the restart%n", (System.nanoTime() - t0) / 1_000_000);
        return row[0];
    }

    /** Field {@code i} (1 = Lock) of a -X row. */
    private static String field(String row, int i) {
        return row.split("\\|", -1)[i];
    }

    private static String holder(Client root) throws Exception {
        GetResponse r = root.getKVClient().get(bytes("/jctdb/cluster-lock")).get(5, TimeUnit.SECONDS);
        return r.getKvs().isEmpty() ? "" : r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
    }

    /** Users root and jctdb (read-write on /jctdb/ only), then auth on, as `etcdctl user add`, `auth enable` do. */
    private static void enableAuth(String endpoint, Path pki) throws Exception {
        try (Client admin = client(endpoint, pki, null, null)) {
            Auth a = admin.getAuthClient();
            a.userAdd(bytes("root"), bytes("rootpw")).get(10, TimeUnit.SECONDS);
            a.roleAdd(bytes("root")).get(10, TimeUnit.SECONDS);
            a.userGrantRole(bytes("root"), bytes("root")).get(10, TimeUnit.SECONDS);
            a.userAdd(bytes("jctdb"), bytes(PASSWORD)).get(10, TimeUnit.SECONDS);
            a.roleAdd(bytes("jctdb")).get(10, TimeUnit.SECONDS);
            a.roleGrantPermission(bytes("jctdb"), bytes("/jctdb/"), bytes("/jctdb0"), Permission.Type.READWRITE)
                    .get(10, TimeUnit.SECONDS);
            a.userGrantRole(bytes("jctdb"), bytes("jctdb")).get(10, TimeUnit.SECONDS);
            a.authEnable().get(10, TimeUnit.SECONDS);
        }
    }

    private static Client client(String endpoint, Path pki, String user, String password) throws Exception {
        var b = Client.builder()
                .endpoints("https://" + endpoint)
                .sslContext(s -> s.trustManager(pki.resolve("ca.pem").toFile())
                        .keyManager(
                                pki.resolve("client.pem").toFile(),
                                pki.resolve("client-key.pem").toFile()));
        if (user != null) {
            b.user(bytes(user)).password(bytes(password));
        }
        return b.build();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** A self-signed CA: NAME.pem and NAME-key.pem. */
    private static void ca(Path pki, String name) throws Exception {
        newKey(pki, name, "/CN=jctdb test " + name, "-x509", "-days", "2", "-out", name + ".pem");
    }

    /** NAME.pem and NAME-key.pem for CN, signed by CA with the given X.509 extension. */
    private static void signed(Path pki, String ca, String name, String cn, String extension) throws Exception {
        Files.writeString(pki.resolve(name + ".ext"), extension + "\n");
        newKey(pki, name, "/CN=" + cn, "-out", name + ".csr");
        openssl(
                pki,
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                ca + ".pem",
                "-CAkey",
                ca + "-key.pem",
                "-CAcreateserial",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-extfile",
                name + ".ext");
    }

    /** openssl req with a new unencrypted P-256 key in NAME-key.pem (PKCS#8), plus {@code more}. */
    private static void newKey(Path pki, String name, String subject, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                name + "-key.pem",
                "-subj",
                subject));
        args.addAll(List.of(more));
        openssl(pki, args.toArray(new String[0]));
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("%s:\n%s", cmd, out)
                .isTrue();
    }
}
