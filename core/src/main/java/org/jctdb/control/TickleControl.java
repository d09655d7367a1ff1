package org.jctdb.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jctdb.ip.tickle.TickleConnection;

/** What the tickle commands (gettickles, addtickle, deltickle) may ask of the daemon. */
public interface TickleControl {
    /** The connections known for {@code ip} (to {@code port} only unless 0); null if it is no public address. */
    CompletableFuture<List<TickleConnection>> list(String ip, int port);

    /** Registers connections; completes with those refused because their dst is no public address. */
    CompletableFuture<List<TickleConnection>> add(List<TickleConnection> conns);

    /** Forgets connections; completes with those refused because their dst is no public address. */
    CompletableFuture<List<TickleConnection>> remove(List<TickleConnection> conns);
}
