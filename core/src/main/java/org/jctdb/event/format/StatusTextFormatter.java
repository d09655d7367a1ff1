package org.jctdb.event.format;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import org.jctdb.event.Errno;
import org.jctdb.event.Event;
import org.jctdb.event.EventReply;
import org.jctdb.event.Hang;
import org.jctdb.event.ScriptResult;
import org.jctdb.os.ProcInfo;

/**
 * `jctdb event status COMPONENT EVENT` and `jctdb scriptstatus` in CTDB 4.17's layout: one line
 * per script (name, status, duration, start time), an OUTPUT line for failures, and the exit
 * code is the absolute value of the event's summary. JCTDB adds one HUNG/UNKILLABLE line.
 */
public final class StatusTextFormatter {
    private final ZoneId zone;

    public StatusTextFormatter(ZoneId zone) {
        this.zone = zone;
    }

    public Rendered status(String component, Event event, Optional<EventReply.Completed> last) {
        if (last.isEmpty()) {
            return new Rendered("Event " + event.wireName() + " has never run in " + component + "\n", Errno.EINVAL);
        }
        StringBuilder sb = new StringBuilder();
        for (ScriptResult r : last.get().scripts()) {
            appendScript(sb, r);
        }
        return new Rendered(sb.toString(), Math.abs(last.get().summary()));
    }

    void appendScript(StringBuilder sb, ScriptResult r) {
        String name =
                String.format(Locale.ROOT, "%-20s %-10s", r.name(), r.status().label());
        switch (r.status()) {
            case OK, ERROR ->
                sb.append(String.format(
                        Locale.ROOT, "%s %.3f %s\n", name, r.durationMillis() / 1000.0, Ctime.format(r.start(), zone)));
            case TIMEDOUT, HUNG ->
                sb.append(name)
                        .append(' ')
                        .append(Ctime.format(r.start(), zone))
                        .append('\n');
            case DISABLED -> sb.append(name).append('\n');
            case CANNOT_RUN ->
                sb.append(name).append(" (").append(Errno.describe(r.code())).append(")\n");
            default -> throw new IllegalStateException(r.status().toString());
        }
        if (r.status().isFailure()) {
            sb.append("  OUTPUT: ").append(r.output()).append('\n');
        }
        if (r.hang() != null) {
            sb.append("  ").append(hangLine(r.hang())).append('\n');
        }
    }

    static String hangLine(Hang h) {
        StringBuilder sb = new StringBuilder();
        sb.append(h.kind().name())
                .append(": pid ")
                .append(h.pid())
                .append(" alive for ")
                .append(String.format(Locale.ROOT, "%.1f", h.aliveMillis() / 1000.0))
                .append("s");
        if (h.kind() == Hang.Kind.HUNG) {
            sb.append(", not started again");
        }
        if (!h.processes().isEmpty()) {
            sb.append(": ");
            boolean first = true;
            for (ProcInfo p : h.processes()) {
                sb.append(first ? "" : "; ").append(p.describe());
                first = false;
            }
        }
        return sb.toString();
    }
}
