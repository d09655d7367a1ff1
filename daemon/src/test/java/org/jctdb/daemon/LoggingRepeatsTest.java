package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 57 identical lines in 80 s become a handful. */
class LoggingRepeatsTest {
    @Test
    void identicalLinesAreCountedPerWindow() {
        Logging.Repeats r = new Logging.Repeats(TimeUnit.MINUTES.toNanos(1));
        List<String> logged = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 57; i++) {
            logged.addAll(r.next("cluster lock CONTENTION: held elsewhere", t));
            t += TimeUnit.MILLISECONDS.toNanos(1400);
        }
        logged.addAll(r.flush());
        assertThat(logged)
                .containsExactly(
                        "cluster lock CONTENTION: held elsewhere",
                        "cluster lock CONTENTION: held elsewhere (repeated 42 times)",
                        "cluster lock CONTENTION: held elsewhere (repeated 13 times)");
        assertThat(r.next("other", t)).containsExactly("other");
    }
}
