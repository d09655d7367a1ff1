package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.jctdb.lock.LockSpec.Endpoint;
import org.junit.jupiter.api.Test;

class LockSpecTest {

    @Test
    void pathsAndHelpersAreNotSpecs() {
        assertThat(LockSpec.parse(null)).isEmpty();
        assertThat(LockSpec.parse("/cfs/.ctdb/reclock")).isEmpty();
        assertThat(LockSpec.parse("!/usr/libexec/ctdb/ctdb_mutex_fcntl_helper /cfs/x"))
                .isEmpty();
    }

    @Test
    void etcdWithDefaults() {
        assertThat(LockSpec.parse(" etcd:10.0.0.1 "))
                .contains(new LockSpec.Etcd(List.of(new Endpoint("10.0.0.1", 2379)), "/jctdb/cluster-lock", 10));
    }

    @Test
    void etcdWithEverything() {
        Optional<LockSpec> s = LockSpec.parse("etcd:e1:2379,e2:12379,[fd00::3]:2379/site/a/lock?ttl=6");
        assertThat(s)
                .contains(new LockSpec.Etcd(
                        List.of(new Endpoint("e1", 2379), new Endpoint("e2", 12379), new Endpoint("fd00::3", 2379)),
                        "/site/a/lock",
                        6));
        assertThat(s.get().describe())
                .isEqualTo("etcd lock /site/a/lock on e1:2379,e2:12379,[fd00::3]:2379 (lease ttl 6 s)");
    }

    @Test
    void zookeeperWithDefaultsAndOptions() {
        assertThat(LockSpec.parse("zookeeper:zk1,zk2:2182"))
                .contains(new LockSpec.ZooKeeper(
                        List.of(new Endpoint("zk1", 2181), new Endpoint("zk2", 2182)), "/jctdb/cluster-lock", 10));
        LockSpec.ZooKeeper z = (LockSpec.ZooKeeper)
                LockSpec.parse("zookeeper:127.0.0.1:2181/ctdb/lock?session=4").orElseThrow();
        assertThat(z.path()).isEqualTo("/ctdb/lock");
        assertThat(z.session()).isEqualTo(4);
        assertThat(z.connectString()).isEqualTo("127.0.0.1:2181");
    }

    @Test
    void badValuesNameTheProblem() {
        assertThatThrownBy(() -> LockSpec.parse("etcd:")).hasMessageContaining("no server");
        assertThatThrownBy(() -> LockSpec.parse("etcd://h:2379")).hasMessageContaining("without //");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h:0")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> LockSpec.parse("etcd:a,,b")).hasMessageContaining("empty server");
        assertThatThrownBy(() -> LockSpec.parse("etcd:fd00::1")).hasMessageContaining("[ADDR]:PORT");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?ttl=2")).hasMessageContaining("out of range 3..300");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?ttl=ten")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?session=5")).hasMessageContaining("unknown option \"session\"");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?ttl")).hasMessageContaining("not NAME=VALUE");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?ttl=5&ttl=6")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h/")).hasMessageContaining("empty key");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:h/a/")).hasMessageContaining("must not end in /");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:h/a//b")).hasMessageContaining("empty element");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:h?session=1")).hasMessageContaining("out of range 2..120");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:b@d")).hasMessageContaining("bad host");
    }

    @Test
    void etcdTlsAndCredentials() {
        LockSpec.Etcd e = (LockSpec.Etcd) LockSpec.parse("etcd:h1:2379,h2:2379?ttl=6&cacert=/etc/ctdb/etcd/ca.pem"
                        + "&cert=/etc/ctdb/etcd/client.pem&key=/etc/ctdb/etcd/client-key.pem&user=jctdb"
                        + "&password-file=/etc/ctdb/etcd/password")
                .orElseThrow();
        assertThat(e.tls())
                .contains(new LockSpec.Tls(
                        "/etc/ctdb/etcd/ca.pem",
                        Optional.of("/etc/ctdb/etcd/client.pem"),
                        Optional.of("/etc/ctdb/etcd/client-key.pem")));
        assertThat(e.credentials()).contains(new LockSpec.Credentials("jctdb", "/etc/ctdb/etcd/password"));
        assertThat(e.describe())
                .isEqualTo("etcd lock /jctdb/cluster-lock on h1:2379,h2:2379 (lease ttl 6 s, TLS with client"
                        + " certificate, user jctdb)");
        LockSpec.Etcd caOnly =
                (LockSpec.Etcd) LockSpec.parse("etcd:h?cacert=/ca.pem").orElseThrow();
        assertThat(caOnly.tls()).contains(new LockSpec.Tls("/ca.pem", Optional.empty(), Optional.empty()));
        assertThat(caOnly.credentials()).isEmpty();
        assertThat(caOnly.describe()).endsWith("(lease ttl 10 s, TLS)");
        LockSpec.ZooKeeper z =
                (LockSpec.ZooKeeper) LockSpec.parse("zookeeper:zk1?user=ctdb&password-file=/etc/ctdb/zk-password")
                        .orElseThrow();
        assertThat(z.credentials()).contains(new LockSpec.Credentials("ctdb", "/etc/ctdb/zk-password"));
        assertThat(z.describe()).endsWith("(session 10 s, digest user ctdb)");
    }

    @Test
    void badTlsAndCredentialOptionsNameTheProblem() {
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?user=a&password=secret"))
                .hasMessageContaining("password= is not accepted")
                .hasMessageContaining("password-file=FILE")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?user=a")).hasMessageContaining("user= needs password-file=");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?password-file=/p")).hasMessageContaining("needs user=");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?user=a b&password-file=/p"))
                .hasMessageContaining("not a user name");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?cacert=ca.pem"))
                .hasMessageContaining("cacert=\"ca.pem\" must be an absolute path");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?cacert=/ca&cert=/c")).hasMessageContaining("cert= needs key=");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?cacert=/ca&key=/k")).hasMessageContaining("key= needs cert=");
        assertThatThrownBy(() -> LockSpec.parse("etcd:h?cert=/c&key=/k")).hasMessageContaining("need cacert=");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:h?cacert=/ca"))
                .hasMessageContaining("unknown option \"cacert\"");
        assertThatThrownBy(() -> LockSpec.parse("zookeeper:h?user=a&password=x"))
                .hasMessageContaining("password= is not accepted");
    }

    @Test
    void timerBudget() {
        assertThat(LockSpec.marginMillis(10_000)).isEqualTo(2_000);
        assertThat(LockSpec.marginMillis(3_000)).isEqualTo(1_000);
        assertThat(LockSpec.renewMillis(9_000)).isEqualTo(3_000);
    }
}
