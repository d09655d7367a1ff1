package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsConfTest {
    private static MetricsConf parse(String... lines) throws ConfigException {
        return MetricsConf.parse(IniFile.parse("ctdb.conf", List.of(lines)));
    }

    @Test
    void offUnlessListenIsGiven() throws ConfigException {
        assertThat(parse("[cluster]", "port = 4379")).isEqualTo(MetricsConf.OFF);
        assertThat(parse("[metrics]", "listen =")).isEqualTo(MetricsConf.OFF);
    }

    @Test
    void listenTakesAnIpv4OrBracketedIpv6AddressAndAPort() throws ConfigException {
        assertThat(parse("[metrics]", "listen = 127.0.0.1:9465").listen())
                .contains(new InetSocketAddress("127.0.0.1", 9465));
        assertThat(parse("[metrics]", "listen = [::1]:9465").listen()).contains(new InetSocketAddress("::1", 9465));
    }

    @Test
    void aBadListenNamesTheFileAndLine() {
        for (String bad : List.of("9465", "localhost:9465", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:x")) {
            assertThatThrownBy(() -> parse("[metrics]", "listen = " + bad))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("ctdb.conf")
                    .hasMessageContaining("2")
                    .hasMessageContaining("[metrics] listen must be ADDRESS:PORT");
        }
    }

    @Test
    void theConfigurationReaderAcceptsTheSectionAndRefusesOtherKeys() {
        assertThatThrownBy(() ->
                        CtdbConfReader.parse(IniFile.parse("ctdb.conf", List.of("[metrics]", "port = 1")), "stderr"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown option \"port\" in section [metrics]");
        assertThatThrownBy(() ->
                        CtdbConfReader.parse(IniFile.parse("ctdb.conf", List.of("[metrics]", "listen = x")), "stderr"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen must be");
    }
}
