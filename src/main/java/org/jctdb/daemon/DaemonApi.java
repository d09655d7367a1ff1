package org.jctdb.daemon;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.Tunables;
import org.jctdb.control.ControlReply;

/** What commands may ask of a running daemon. Queries read snapshots; changes go through the decision thread. */
public interface DaemonApi {
    ClusterView view();

    NodeConfig config();

    Tunables tunables();

    CompletableFuture<Void> setTunable(String name, long value);

    /** Runs a command on another node and returns what it printed; fails if that node is unreachable. */
    CompletableFuture<ControlReply> forward(int pnn, List<String> argv);

    /** The event script engine, once the daemon has started it. */
    java.util.Optional<org.jctdb.event.EventEngine> events();

    /** The cluster filesystem probe's latest report, once the daemon has started it. */
    default java.util.Optional<org.jctdb.health.HealthReport> health() {
        return java.util.Optional.empty();
    }

    /** Starts a recovery if this node is the leader; completes with whether it is. */
    CompletableFuture<Boolean> recover();

    /** Control clients connected right now. */
    int clients();

    long pid();

    String version();

    /** Stops this daemon after the reply to the current command has been sent. */
    void shutdown(String why);
}
