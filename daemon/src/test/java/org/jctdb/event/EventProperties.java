package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class EventProperties {
    /** The health verdict after a run of timeouts depends only on the run length and the tunable. */
    @Property
    void unhealthyExactlyWhenTimeoutRunReachesTheTunable(
            @ForAll @IntRange(min = 1, max = 40) int timeouts, @ForAll @IntRange(min = 0, max = 25) int tunable) {
        MonitorTimeoutTracker t = new MonitorTimeoutTracker();
        EventReply.Completed timedOut = new EventReply.Completed(
                Event.MONITOR,
                List.of(),
                EventPureTest.T,
                List.of(EventPureTest.res("a", ScriptStatus.TIMEDOUT, 0, 0, "")),
                -Errno.ETIMEDOUT);
        MonitorTimeoutTracker.Verdict last = null;
        for (int i = 0; i < timeouts; i++) {
            last = t.onMonitor(timedOut, tunable);
        }
        boolean expectUnhealthy = timeouts >= Math.max(1, tunable);
        assertThat(last == MonitorTimeoutTracker.Verdict.UNHEALTHY).isEqualTo(expectUnhealthy);
    }

    /** Script names: two digits, a dot, then no '/', blanks or control characters (they reach logs and argv). */
    @Property
    void scriptNamesValidOnlyWithTwoDigitPrefix(
            @ForAll @Size(max = 12) String rest, @ForAll @IntRange(min = 0, max = 99) int n) {
        String name = String.format("%02d.%s", n, rest);
        boolean expected = !rest.isEmpty()
                && rest.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c) || Character.isISOControl(c));
        assertThat(ScriptDirectory.validName(name)).isEqualTo(expected);
    }
}
