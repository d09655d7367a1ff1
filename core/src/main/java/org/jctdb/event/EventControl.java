package org.jctdb.event;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the `event` and `scriptstatus` commands may ask of a node's event script engine. */
public interface EventControl {
    /** Runs one event (queued behind others as the engine's policy says). */
    CompletableFuture<EventReply> run(EventRequest req);

    /** The last completed run of {@code e}, if any. */
    Optional<EventReply.Completed> lastStatus(Event e);

    /** The scripts of the legacy component: provided ones and local ones. */
    EventScripts.Listing listing() throws IOException;

    EventScripts.CommandResult enable(String component, String name);

    EventScripts.CommandResult disable(String component, String name);
}
