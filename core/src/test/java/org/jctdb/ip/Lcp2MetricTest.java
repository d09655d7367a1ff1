package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbers from the debug log of CTDB's lcp2.005 ("3 nodes, 1 -> all healthy"). */
class Lcp2MetricTest {

    private static List<IpAddress> nine() {
        List<IpAddress> l = new ArrayList<>();
        for (String s : new String[] {
            "192.168.21.254",
            "192.168.21.253",
            "192.168.21.252",
            "192.168.20.254",
            "192.168.20.253",
            "192.168.20.252",
            "192.168.20.251",
            "192.168.20.250",
            "192.168.20.249"
        }) {
            l.add(IpAddress.parse(s));
        }
        return l;
    }

    @Test
    void imbalanceOfNineAddressesOnOneNode() {
        assertThat(Lcp2Metric.imbalance(nine())).isEqualTo(539166);
    }

    @Test
    void costOfEachAddressAgainstTheOthers() {
        List<IpAddress> l = nine();
        assertThat(Lcp2Metric.cost(IpAddress.parse("192.168.21.254"), l)).isEqualTo(116718);
        assertThat(Lcp2Metric.cost(IpAddress.parse("192.168.21.253"), l)).isEqualTo(116971);
        assertThat(Lcp2Metric.cost(IpAddress.parse("192.168.20.253"), l)).isEqualTo(121363);
        assertThat(Lcp2Metric.cost(IpAddress.parse("192.168.20.249"), l)).isEqualTo(121110);
    }

    @Test
    void imbalanceAfterRemovingOneAddressDropsByItsCost() {
        List<IpAddress> l = nine();
        l.remove(IpAddress.parse("192.168.20.253"));
        assertThat(Lcp2Metric.imbalance(l)).isEqualTo(417803);
    }

    @Test
    void distanceCountsEveryWordLikeCtdb() {
        // Adjacent IPv4 addresses: 96 bits of zero words plus 31 common bits.
        assertThat(Lcp2Metric.distance(IpAddress.parse("192.168.20.253"), IpAddress.parse("192.168.20.252")))
                .isEqualTo(127);
        assertThat(Lcp2Metric.distanceSquared(IpAddress.parse("192.168.20.253"), IpAddress.parse("192.168.21.253")))
                .isEqualTo(119 * 119);
        // Differ in word 1 only: 32 + 31 + 32 + 32, more than a true common prefix.
        assertThat(Lcp2Metric.distance(IpAddress.parse("fd00::1"), IpAddress.parse("fd00:0:0:1::1")))
                .isEqualTo(127);
        assertThat(Lcp2Metric.distance(IpAddress.parse("fd00::1"), IpAddress.parse("fd00::2")))
                .isEqualTo(126);
        assertThat(Lcp2Metric.distance(IpAddress.parse("::"), IpAddress.parse("8000::")))
                .isEqualTo(96);
    }
}
