package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The [health] section of ctdb.conf and the JCTDB tunables of the probe. */
class HealthConfTest {
    private static CtdbConf parse(String text) throws ConfigException {
        return CtdbConfReader.parse(IniFile.parse("ctdb.conf", TextLines.split(text)), "file:/default.log");
    }

    @Test
    void defaultsWhenAbsent() throws ConfigException {
        assertThat(parse("[cluster]\n\tcluster lock = /c/.ctdb/lock\n").health())
                .isEqualTo(HealthConf.defaults());
        assertThat(HealthConf.defaults().shutdownWhenHung()).isFalse();
    }

    @Test
    void readsEveryKey() throws ConfigException {
        HealthConf h = parse("[health]\n\textra paths = /c/data, /c/home\n\tprobe command = /usr/local/bin/probe -q\n"
                        + "\thung storage action = shutdown\n\thung storage timeout = 45\n")
                .health();
        assertThat(h)
                .isEqualTo(
                        new HealthConf(List.of("/c/data", "/c/home"), List.of("/usr/local/bin/probe", "-q"), true, 45));
    }

    @Test
    void badValuesNameTheLine() {
        assertThatThrownBy(() -> parse("[health]\n\textra paths = data\n"))
                .hasMessageContaining("ctdb.conf:2")
                .hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> parse("[health]\n\n\tprobe command = stat\n"))
                .hasMessageContaining("ctdb.conf:3")
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> parse("[health]\n\thung storage action = reboot\n"))
                .hasMessageContaining("none or shutdown");
        assertThatThrownBy(() -> parse("[health]\n\thung storage timeout = 0\n"))
                .hasMessageContaining("from 1 to 86400");
        assertThatThrownBy(() -> parse("[health]\n\tprobe interval = 1\n")).hasMessageContaining("unknown option");
    }

    @Test
    void probeTunablesAreJctdbsOwnAndNotInListvars() {
        Tunables t = Tunables.defaults();
        assertThat(t.get("HealthProbeIntervalMs")).isEqualTo(1500);
        assertThat(t.get("HealthProbeTimeoutMs")).isEqualTo(3000);
        assertThat(t.get("HealthProbeFailCount")).isEqualTo(2);
        List<String> names =
                t.listed().stream().map(java.util.Map.Entry::getKey).toList();
        assertThat(names).doesNotContain("HealthProbeIntervalMs", "HealthProbeTimeoutMs", "HealthProbeFailCount");
    }
}
