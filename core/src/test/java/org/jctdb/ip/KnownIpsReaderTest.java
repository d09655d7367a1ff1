package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownIpsReaderTest {

    @Test
    void addressWithoutAllowedListIsKnownEverywhere() throws Exception {
        List<PublicAddress> l = KnownIpsReader.read(List.of("10.0.0.1 2", "10.0.0.2"), 3, false);
        assertThat(l)
                .containsExactly(
                        PublicAddress.of(IpAddress.parse("10.0.0.1"), 2, Set.of(0, 1, 2)),
                        PublicAddress.of(IpAddress.parse("10.0.0.2"), -1, Set.of(0, 1, 2)));
    }

    @Test
    void allowedListTabsAndCommentsAndEndAtEmptyLine() throws Exception {
        List<PublicAddress> l =
                KnownIpsReader.read(List.of("10.0.0.1\t\t1\t0,2 # only 0 and 2", "", "10.0.0.9 0"), 3, false);
        assertThat(l).containsExactly(PublicAddress.of(IpAddress.parse("10.0.0.1"), 1, Set.of(0, 2)));
    }

    @Test
    void multiModeMergesPerNodeViews() throws Exception {
        List<String> in = List.of("10.0.0.1 0", "10.0.0.2 1", "", "10.0.0.2 1", "10.0.0.3 0");
        List<PublicAddress> l = KnownIpsReader.read(in, 2, true);
        // Node 0's claim that node 1 hosts 10.0.0.2 is not trusted, node 1's own claim is.
        assertThat(l)
                .containsExactly(
                        PublicAddress.of(IpAddress.parse("10.0.0.1"), 0, Set.of(0)),
                        PublicAddress.of(IpAddress.parse("10.0.0.2"), 1, Set.of(0, 1)),
                        PublicAddress.of(IpAddress.parse("10.0.0.3"), -1, Set.of(1)));
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 0", "10.0.0.300 1"), 2, false))
                .isInstanceOf(IpallocInputException.class)
                .hasMessage("line 2: bad address '10.0.0.300'");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 x"), 2, false))
                .hasMessage("line 1: bad current PNN 'x'");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 0 0,5"), 2, false))
                .hasMessage("line 1: allowed PNN 5 out of range (2 nodes)");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 0", "10.0.0.1 1"), 2, false))
                .hasMessage("line 2: duplicate address 10.0.0.1");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 0 0", "", "10.0.0.1 0"), 2, true))
                .hasMessage("line 1: allowed node list not permitted in multi mode");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("   "), 2, false))
                .hasMessageStartingWith("line 1: no address");
        assertThatThrownBy(() -> KnownIpsReader.read(List.of("10.0.0.1 0 0 extra"), 2, false))
                .hasMessage("line 1: unexpected 'extra'");
    }
}
