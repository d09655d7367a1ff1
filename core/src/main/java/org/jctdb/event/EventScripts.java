package org.jctdb.event;

import java.nio.file.Path;
import java.util.List;

/** What a component's script directory holds, as values the command and its formatters read. */
public final class EventScripts {
    private EventScripts() {}

    /** A script found in a directory: name without suffix, full path, executable or not. */
    public record Script(String name, Path path, boolean enabled) {}

    /** Result of enable/disable: exit code (errno, 0 on success) and the message to print, or "". */
    public record CommandResult(int exitCode, String message) {}

    /** Input of the `script list` formatter. {@code provided} may be empty when there is no data dir. */
    public record Listing(List<Script> provided, List<Script> local) {
        public Listing {
            provided = List.copyOf(provided);
            local = List.copyOf(local);
        }
    }
}
