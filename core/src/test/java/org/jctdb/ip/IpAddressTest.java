package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "192.168.20.249, 192.168.20.249",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "fd00::5357:5f01, fd00::5357:5f01",
        "FD00:0:0:0:0:0:0:1, fd00::1",
        "::1, ::1",
        "::, ::",
        "1::, 1::",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::1.2.3.4, ::1.2.3.4",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "fd00:0:0:1::2, fd00:0:0:1::2",
    })
    void printsLikeInetNtop(String in, String out) {
        assertThat(IpAddress.parse(in).toString()).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "01.2.3.4",
                "1.2.3.x",
                "a.b.c.d",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                ":::1",
                "12345::",
                "1:2:3:4:5:6:7",
                "g::1",
                "1:2:3:4:5:6:7:8::",
                "::1.2.3",
                "1.2.3.4::",
                "host.example"
            })
    void rejectsBadText(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ctdbOrderIsDescendingByKeyWithIpv6First() {
        List<IpAddress> l = new ArrayList<>();
        for (String s : new String[] {"10.0.0.1", "fd00::1", "192.168.1.1", "::ffff:10.0.0.1", "10.0.0.2"}) {
            l.add(IpAddress.parse(s));
        }
        l.sort(IpAddress.CTDB_ORDER);
        assertThat(l)
                .extracting(IpAddress::toString)
                .containsExactly("fd00::1", "::ffff:10.0.0.1", "192.168.1.1", "10.0.0.2", "10.0.0.1");
    }

    @Test
    void keyWordsFollowCtdbLayout() {
        IpAddress v4 = IpAddress.parse("1.2.3.4");
        assertThat(new int[] {v4.word(0), v4.word(1), v4.word(2), v4.word(3)}).containsExactly(0, 0, 0, 0x01020304);
        IpAddress v6 = IpAddress.parse("fd00:1:2:3:4:5:6:7");
        assertThat(new int[] {v6.word(0), v6.word(1), v6.word(2), v6.word(3)})
                .containsExactly(0xfd000001, 0x00020003, 0x00040005, 0x00060007);
    }
}
