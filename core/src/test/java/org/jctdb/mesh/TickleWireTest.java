package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.ip.tickle.TcpEndpoint;
import org.jctdb.ip.tickle.TickleConnection;
import org.jctdb.ip.tickle.TickleList;
import org.junit.jupiter.api.Test;

/** A full tickle list of long IPv6 addresses fits one mesh frame, and a bad one is refused by the decoder. */
class TickleWireTest {
    private final WireCodec codec = new WireCodec();

    @Test
    void theLargestListFitsOneFrameAndRoundTrips() throws Exception {
        String server = "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe";
        List<TickleConnection> conns = new ArrayList<>();
        for (int i = 0; i < TickleList.MAX_CONNECTIONS; i++) {
            conns.add(new TickleConnection(
                    new TcpEndpoint("2001:db8:ffff:ffff:ffff:ffff:ffff:" + Integer.toHexString(i + 1), 65000),
                    new TcpEndpoint(server, 445)));
        }
        WireMessage m = new WireMessage.Tickles(new TickleList(1, server, conns));
        byte[] bytes = codec.encode(m);
        assertThat(bytes.length).isLessThan(WireCodec.MAX_FRAME_BYTES);
        assertThat(codec.decode(bytes)).isEqualTo(m);
    }

    @Test
    void aListWithABadAddressIsUndecodable() {
        byte[] good = codec.encode(new WireMessage.Tickles(new TickleList(
                1,
                "10.0.0.1",
                List.of(new TickleConnection(new TcpEndpoint("10.0.0.9", 1), new TcpEndpoint("10.0.0.1", 445))))));
        String text = new String(good, StandardCharsets.ISO_8859_1);
        byte[] bad = text.replace("10.0.0.9", "no addr!").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(bad).isNotEqualTo(good);
        assertThatThrownBy(() -> codec.decode(bad))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("TcpEndpoint rejected its fields");
    }
}
