package org.jctdb.event.format;

import org.jctdb.event.EventScripts;

/**
 * `jctdb event script list COMPONENT`: provided scripts first, '*' when enabled, then (after a
 * blank line) scripts that exist only locally.
 */
public final class ScriptListFormatter {
    private ScriptListFormatter() {}

    public static Rendered list(EventScripts.Listing l) {
        StringBuilder sb = new StringBuilder();
        for (EventScripts.Script s : l.provided()) {
            sb.append(s.enabled() ? '*' : ' ').append(' ').append(s.name()).append('\n');
        }
        if (!l.provided().isEmpty() && !l.local().isEmpty()) {
            sb.append('\n');
        }
        for (EventScripts.Script s : l.local()) {
            sb.append(s.enabled() ? '*' : ' ').append(' ').append(s.name()).append('\n');
        }
        return new Rendered(sb.toString(), 0);
    }

    public static Rendered command(EventScripts.CommandResult r) {
        return new Rendered(r.message().isEmpty() ? "" : r.message() + "\n", r.exitCode());
    }
}
