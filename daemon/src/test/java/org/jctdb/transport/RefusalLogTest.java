package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of refused connections gives one log line per address and interval. */
class RefusalLogTest {
    @Test
    void oneLinePerAddressAndInterval() throws Exception {
        AtomicLong now = new AtomicLong();
        RefusalLog r = new RefusalLog(LoggerFactory.getLogger("test"), TimeUnit.SECONDS.toNanos(10), now::get);
        InetAddress a = InetAddress.getByName("127.0.0.9");
        InetAddress b = InetAddress.getByName("127.0.0.8");
        int logged = 0;
        for (int i = 0; i < 100; i++) {
            logged += r.refused(a, "wrong key") ? 1 : 0;
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // 100 refusals in 10 s
        }
        assertThat(logged).isEqualTo(1);
        assertThat(r.refused(b, "wrong key")).isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(r.refused(a, "wrong key")).isTrue();
    }
}
