package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicAddressesAndTunablesTest {
    @Test
    void publicAddressesParse() throws Exception {
        PublicAddressesFile f = PublicAddressesFile.parse(
                "public_addresses",
                TextLines.split("# comment\n10.0.1.1/24 eth1\n\n10.0.2.1/24 eth2,eth3\nfd00:1::5/64 eth1\n"));
        assertThat(f.addresses()).hasSize(3);
        assertThat(f.addresses().get(1).interfaces()).containsExactly("eth2", "eth3");
        assertThat(f.addresses().get(2).maskBits()).isEqualTo(64);
    }

    @Test
    void publicAddressErrorsNameTheLine() {
        assertThatThrownBy(() -> PublicAddressesFile.parse("pa", List.of("10.0.1.1 eth1")))
                .hasMessage("pa:1: \"10.0.1.1\" has no /MASKBITS");
        assertThatThrownBy(() -> PublicAddressesFile.parse("pa", List.of("10.0.1.1/33 eth1")))
                .hasMessage("pa:1: mask \"33\" must be a number from 0 to 32");
        assertThatThrownBy(() -> PublicAddressesFile.parse("pa", List.of("", "10.0.1.1/24")))
                .hasMessageContaining("pa:2: expected");
        assertThatThrownBy(() -> PublicAddressesFile.parse("pa", List.of("10.0.1.1/24 eth1,", "")))
                .hasMessage("pa:1: \"\" is not an interface name");
        assertThatThrownBy(() -> PublicAddressesFile.parse("pa", List.of("10.0.1.1/24 eth1", "10.0.1.1/16 eth2")))
                .hasMessageContaining("pa:2: duplicate public address 10.0.1.1");
    }

    @Test
    void tunablesHaveCtdbNamesDefaultsAndOrder() {
        Tunables t = Tunables.defaults();
        assertThat(t.get("KeepaliveInterval")).isEqualTo(5);
        assertThat(t.get("keepalivelimit")).isEqualTo(5);
        assertThat(t.get("MonitorInterval")).isEqualTo(15);
        assertThat(t.get("EventScriptTimeout")).isEqualTo(30);
        assertThat(t.get("IPAllocAlgorithm")).isEqualTo(2);
        assertThat(t.get("RecoveryDropAllIPs")).isEqualTo(120);
        assertThat(t.listed()).first().extracting(java.util.Map.Entry::getKey).isEqualTo("SeqnumInterval");
        // listvars shows CTDB's tunables only, ending with AllowMixedVersions; JCTDB's own are not listed.
        java.util.List<String> names =
                t.listed().stream().map(java.util.Map.Entry::getKey).toList();
        assertThat(names.get(names.size() - 1)).isEqualTo("AllowMixedVersions");
        assertThat(t.listed()).extracting(java.util.Map.Entry::getKey).doesNotContain("DeterministicIPs");
    }

    @Test
    void aSetValueReadsTheSameByAnyCaseAndUnknownNamesFail() {
        Tunables t = Tunables.defaults().with("monitorinterval", 7);
        assertThat(t.get("MonitorInterval")).isEqualTo(7);
        assertThat(t.get("MONITORINTERVAL")).isEqualTo(7);
        assertThat(t.get("monitorinterval")).isEqualTo(7);
        assertThatThrownBy(() -> t.get("MonitorIntervall")).hasMessage("no tunable MonitorIntervall");
    }

    @Test
    void tunablesFileOverridesDefaultsAndRejectsNonsense() throws Exception {
        List<String> warnings = new ArrayList<>();
        Tunables t = Tunables.parse(
                "ctdb.tunables",
                List.of("# x", "MonitorInterval=20", " KeepaliveLimit = 3 ", "DeterministicIPs=1"),
                warnings);
        assertThat(t.get("MonitorInterval")).isEqualTo(20);
        assertThat(t.get("KeepaliveLimit")).isEqualTo(3);
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("ctdb.tunables:4")
                .contains("obsolete");
        assertThatThrownBy(() -> Tunables.parse("t", List.of("MonitorIntervall=20"), warnings))
                .hasMessage("t:1: unknown tunable \"MonitorIntervall\"");
        assertThatThrownBy(() -> Tunables.parse("t", List.of("MonitorInterval=-1"), warnings))
                .hasMessageContaining("t:1: value \"-1\"");
        assertThatThrownBy(() -> Tunables.parse("t", List.of("MonitorInterval=20 # no"), warnings))
                .hasMessageContaining("t:1: expected");
    }
}
