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
        String json = "{\"type\":\"tickles\",\"list\":{\"from\":1,\"ip\":\"10.0.0.1\",\"connections\":"
                + "[{\"src\":{\"ip\":\"no address\",\"port\":1},\"dst\":{\"ip\":\"10.0.0.1\",\"port\":445}}]}}";
        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadMessageException.class);
    }
}
