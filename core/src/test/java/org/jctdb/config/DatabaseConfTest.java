package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseConfTest {
    private static CtdbConf parse(String text) throws ConfigException {
        return CtdbConfReader.parse(IniFile.parse("ctdb.conf", TextLines.split(text)), "file:/default.log");
    }

    @Test
    void defaultsLeaveEverythingToTheLayout() throws ConfigException {
        assertThat(parse("").database()).isEqualTo(DatabaseConf.defaults());
    }

    @Test
    void ctdbsDirectoriesAndOurExtensions() throws ConfigException {
        DatabaseConf d = parse(String.join(
                        "\n",
                        "[cluster]",
                        "\tctdbd socket = /run/x/ctdbd.socket",
                        "[database]",
                        "\tvolatile database directory = /v",
                        "\tpersistent database directory = /p",
                        "\tstate database directory = /s",
                        ""))
                .database();
        assertThat(d)
                .isEqualTo(new DatabaseConf(
                        Optional.of(Path.of("/v")),
                        Optional.of(Path.of("/p")),
                        Optional.of(Path.of("/s")),
                        Optional.of(Path.of("/run/x/ctdbd.socket"))));
    }

    @Test
    void relativePathsAndBadBooleansNameTheLine() {
        assertThatThrownBy(() -> parse("[database]\n\tvolatile database directory = var/v\n"))
                .hasMessageContaining("ctdb.conf:2")
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> parse("[database]\n\n\tjctdb single node volatile = yes\n"))
                .hasMessageContaining("ctdb.conf:3"); // removed: volatile databases migrate records between nodes
    }

    @Test
    void ctdbdSocketFromTheOptionElseUnderCtdbBaseElseSambasDefault() throws ConfigException {
        Layout local = Layout.fromEnvironment(Map.of("CTDB_BASE", "/srv/node.1"));
        Layout system = Layout.fromEnvironment(Map.of());
        assertThat(NodeConfig.ctdbdSocket(local, parse(""))).isEqualTo(Path.of("/srv/node.1/run/ctdbd.socket"));
        assertThat(NodeConfig.ctdbdSocket(system, parse(""))).isEqualTo(Path.of("/run/ctdb/ctdbd.socket"));
        CtdbConf set = parse("[cluster]\n\tctdbd socket = /run/x/ctdbd.socket\n");
        assertThat(NodeConfig.ctdbdSocket(local, set)).isEqualTo(Path.of("/run/x/ctdbd.socket"));
        assertThat(NodeConfig.ctdbdSocket(system, set)).isEqualTo(Path.of("/run/x/ctdbd.socket"));
    }
}
