package org.jctdb.control;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jctdb.config.LogLevel;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.Tunables;
import org.jctdb.event.EventControl;
import org.jctdb.health.HealthReport;
import org.jctdb.ip.RunState;

/** What commands may ask of a running daemon. Queries read snapshots; changes go through the decision thread. */
public interface DaemonApi {
    ClusterView view();

    NodeConfig config();

    Tunables tunables();

    CompletableFuture<Void> setTunable(String name, long value);

    /** Runs a command on another node and returns what it printed; fails if that node is unreachable. */
    default CompletableFuture<ControlReply> forward(int pnn, List<String> argv) {
        return forward(pnn, argv, 10_000);
    }

    /** Like {@link #forward(int, List)}, failing with a timeout after {@code timeoutMillis}. */
    CompletableFuture<ControlReply> forward(int pnn, List<String> argv, long timeoutMillis);

    /** The event script engine, once the daemon has started it. */
    Optional<EventControl> events();

    /** The cluster filesystem probe's latest report, once the daemon has started it. */
    default Optional<HealthReport> health() {
        return Optional.empty();
    }

    /** What is wrong with the cluster lock as this node sees it (nothing while it answers). */
    default Optional<LockReport> lockReport() {
        return Optional.empty();
    }

    /** Starts a recovery if this node is the leader; completes with whether it is. */
    CompletableFuture<Boolean> recover();

    /** Control clients connected right now. */
    int clients();

    long pid();

    String version();

    /** Public IP failover, once the daemon has started it. */
    Optional<IpControl> ip();

    /** Tickle lists, once the daemon has started IP failover. */
    default Optional<TickleControl> tickles() {
        return Optional.empty();
    }

    /** Sets and clears bits of this node's own flags (disable, stop and their reversals). */
    CompletableFuture<Void> changeOwnFlags(int set, int clear);

    /** Bans this node for {@code seconds} (0: until unbanned). */
    CompletableFuture<Void> ban(int seconds, String why);

    CompletableFuture<Void> unban();

    /** reloadnodes: re-reads the nodes file and applies it; completes with "" or why it was refused. */
    default CompletableFuture<String> reloadNodes() {
        return CompletableFuture.completedFuture("reloadnodes is not supported here");
    }

    /** getdebug: the daemon's log level now. */
    LogLevel logLevel();

    /** setdebug: the daemon logs at {@code level} from now on (until restarted). */
    void setLogLevel(LogLevel level);

    /** statistics: what the daemon has done since it started or statisticsreset. */
    Statistics statistics();

    /** statisticsreset. */
    void resetStatistics();

    /** runstate: how far the daemon's start (init, setup, startup events) has got, or SHUTDOWN. */
    RunState runState();

    /** getcapabilities: whether this node may be elected leader (ctdb.conf, then setleaderrole). */
    boolean leaderRole();

    /** setleaderrole: a leader switched off resigns and the others elect another. */
    CompletableFuture<Void> setLeaderRole(boolean on);

    /**
     * process-exists: whether a client of the CTDB socket with process id {@code pid} is connected
     * (and has registered {@code srvid}, unless it is 0).
     */
    boolean processExists(int pid, long srvid);

    /** Stops this daemon after the reply to the current command has been sent. */
    void shutdown(String why);
}
