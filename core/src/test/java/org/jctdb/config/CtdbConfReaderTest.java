package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CtdbConfReaderTest {
    private static CtdbConf parse(String text) throws ConfigException {
        return CtdbConfReader.parse(IniFile.parse("ctdb.conf", TextLines.split(text)), "file:/default.log");
    }

    @Test
    void readsEveryOptionJctdbUses() throws Exception {
        CtdbConf c = parse(String.join(
                "\n",
                "# comment",
                "[logging]",
                "  location = file:/var/log/x.log",
                "  log level = DEBUG",
                "[cluster]",
                "cluster lock = !/usr/libexec/ctdb/ctdb_mutex_fcntl_helper /cfs/lock",
                "leader capability = false",
                "leader timeout = 7",
                "node address = 10.0.0.2",
                "port = 5000",
                "[event]",
                "debug script = /etc/ctdb/debug.sh",
                "[failover]",
                "disabled = yes",
                "[legacy]",
                "start as stopped = true",
                "start as disabled = on",
                "script log level = NOTICE"));
        assertThat(c.logLocation()).isEqualTo("file:/var/log/x.log");
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.clusterLock()).contains("!/usr/libexec/ctdb/ctdb_mutex_fcntl_helper /cfs/lock");
        assertThat(c.leaderCapability()).isFalse();
        assertThat(c.leaderTimeout()).isEqualTo(7);
        assertThat(c.nodeAddress().get().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.eventDebugScript()).contains("/etc/ctdb/debug.sh");
        assertThat(c.failoverDisabled()).isTrue();
        assertThat(c.startAsStopped()).isTrue();
        assertThat(c.startAsDisabled()).isTrue();
        assertThat(c.scriptLogLevel()).isEqualTo(LogLevel.NOTICE);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void defaultsMatchCtdb() throws Exception {
        CtdbConf c = parse("");
        assertThat(c.logLevel()).isEqualTo(LogLevel.NOTICE);
        assertThat(c.logLocation()).isEqualTo("file:/default.log");
        assertThat(c.clusterLock()).isEmpty();
        assertThat(c.leaderCapability()).isTrue();
        assertThat(c.leaderTimeout()).isEqualTo(5);
        assertThat(c.port()).isEqualTo(4379);
        assertThat(c.scriptLogLevel()).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void deprecatedRecoveryLockWarnsWithItsLine() throws Exception {
        CtdbConf c = parse("[cluster]\nrecovery lock = /cfs/.ctdb/reclock\n");
        assertThat(c.clusterLock()).contains("/cfs/.ctdb/reclock");
        assertThat(c.warnings())
                .singleElement()
                .asString()
                .contains("ctdb.conf:2")
                .contains("deprecated");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parse("[cluster]\n\nleader timeout = soon\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("ctdb.conf:3: \"leader timeout\" must be a whole number from 1 to 3600, not \"soon\"");
        assertThatThrownBy(() -> parse("[clutser]\nfoo = 1\n")).hasMessage("ctdb.conf:2: unknown section [clutser]");
        assertThatThrownBy(() -> parse("[cluster]\nleader capabilty = true\n"))
                .hasMessage("ctdb.conf:2: unknown option \"leader capabilty\" in section [cluster]");
        assertThatThrownBy(() -> parse("[failover]\ndisabled = maybe\n"))
                .hasMessageContaining("ctdb.conf:2:")
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> parse("[cluster]\nnode address = node1.example.com\n"))
                .hasMessageContaining("ctdb.conf:2:")
                .hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> parse("location = x\n")).hasMessage("ctdb.conf:1: option outside of any [section]");
        assertThatThrownBy(() -> parse("[logging]\nlocation = /var/log/x\n"))
                .hasMessageContaining("ctdb.conf:2:")
                .hasMessageContaining("file:PATH, syslog or stderr");
        assertThatThrownBy(() -> parse("[logging]\nlog level = LOUD\n")).hasMessageContaining("ctdb.conf:2:");
        assertThatThrownBy(() -> parse("[cluster]\nport = 1\nport = 2\n"))
                .hasMessageContaining("ctdb.conf:3:")
                .hasMessageContaining("repeats line 2");
    }

    @Test
    void logLevelsAcceptNamesAndNumbers() {
        // numbers are Samba's debug levels, as ctdb reads them: 2 is WARNING, 4 NOTICE, 10 DEBUG
        assertThat(List.of("ERROR", "warning", "2", "INFO", "4", "10"))
                .extracting(LogLevel::parse)
                .containsExactly(
                        LogLevel.ERROR,
                        LogLevel.WARNING,
                        LogLevel.WARNING,
                        LogLevel.INFO,
                        LogLevel.NOTICE,
                        LogLevel.DEBUG);
    }
}
