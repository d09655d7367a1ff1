package org.jctdb.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jctdb.common.Ticker;
import org.jctdb.config.Installation;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.Tunables;
import org.jctdb.event.EngineConfig;
import org.jctdb.event.Event;
import org.jctdb.event.EventEngine;
import org.jctdb.event.EventPolicy;
import org.jctdb.event.EventReply;
import org.jctdb.event.EventRequest;
import org.jctdb.event.Hang;
import org.jctdb.event.MonitorTimeoutTracker;
import org.jctdb.event.ScriptDirectory;
import org.jctdb.event.ScriptResult;
import org.jctdb.ip.RunState;
import org.jctdb.os.SpawnFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Drives a node's event scripts through their life as ctdbd does: init and setup (a failure
 * stops the daemon), startup (retried until it succeeds), then monitor every MonitorInterval,
 * whose verdict sets the node's health. Verdicts are handed to the core thread.
 */
final class EventLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.event");
    private static final long STARTUP_RETRY_MILLIS = 5_000;

    private final NodeConfig config;
    private final Supplier<Tunables> tunables;
    private final Executor core;
    private final Consumer<Boolean> healthy;
    private final Consumer<String> stopDaemon;
    private final BooleanSupplier inRecovery;
    private final DaemonMetrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jctdb-events");
        t.setDaemon(true);
        return t;
    });
    private final MonitorTimeoutTracker monitorTracker = new MonitorTimeoutTracker();
    private EventEngine engine;
    private volatile boolean closed;
    /** CTDB's run state, as the event sequence has reached it (GET_RUNSTATE, `jctdb runstate`). */
    private volatile RunState runState = RunState.INIT;

    EventLifecycle(
            NodeConfig config,
            Supplier<Tunables> tunables,
            Executor core,
            Consumer<Boolean> healthy,
            Consumer<String> stopDaemon,
            BooleanSupplier inRecovery,
            DaemonMetrics metrics) {
        this.inRecovery = inRecovery;
        this.metrics = metrics;
        this.config = config;
        this.tunables = tunables;
        this.core = core;
        this.healthy = healthy;
        this.stopDaemon = stopDaemon;
    }

    EventEngine engine() {
        return engine;
    }

    void start(Path jctdbCommand) throws IOException {
        Path helpers = config.layout().varDir().resolve("helpers");
        writeCtdbConfigHelper(helpers, jctdbCommand);
        writeKillTcpHelper(helpers, Installation.current().helper("jctdb_tcp"));
        EngineConfig cfg = EngineConfig.defaults(
                        config.layout().base(),
                        jctdbCommand,
                        helpers,
                        config.layout().varDir())
                .withDebugScript(config.conf().eventDebugScript().orElse(null))
                .withLogging(
                        Level.valueOf(
                                Logging.map(config.conf().scriptLogLevel()).toString()),
                        EngineConfig.DEFAULT_OUTPUT_LIMIT)
                .withExtraEnv(Map.of(
                        "CTDB_SOCKET",
                        config.layout().socket().toString(),
                        // takeip gives new addresses this kernel lifetime; the daemon refreshes it
                        "JCTDB_IP_LEASE",
                        String.valueOf(tunables.get().get("JctdbIPLease"))));
        engine = new EventEngine(
                cfg,
                new ScriptDirectory(cfg.eventDir(), null),
                scheduler,
                Ticker.SYSTEM,
                Clock.systemDefaultZone(),
                new EventEngine.Listener() {
                    @Override
                    public void scriptFinished(Event event, ScriptResult result) {
                        metrics.scriptFinished(event, result);
                    }

                    @Override
                    public void eventFinished(EventReply reply) {
                        metrics.eventFinished(reply);
                    }

                    @Override
                    public void hang(String script, Hang hang) {
                        log.error("event script {} is hung: {}", script, hang);
                    }
                });
        runOnce(Event.INIT)
                .thenCompose(ok -> {
                    if (!ok) {
                        return CompletableFuture.completedFuture(false);
                    }
                    runState = RunState.SETUP;
                    return runOnce(Event.SETUP);
                })
                .thenAccept(ok -> {
                    if (ok) {
                        runState = RunState.STARTUP;
                        startup();
                    }
                });
    }

    /** Runs init or setup; a failure stops the daemon, as in CTDB. */
    private CompletableFuture<Boolean> runOnce(Event event) {
        return engine.run(request(event)).thenApply(reply -> {
            if (!EventPolicy.succeeded(reply)) {
                log.error("{} event failed ({}); stopping the daemon", event.wireName(), describe(reply));
                stopDaemon.accept(event.wireName() + " event failed");
                return false;
            }
            return true;
        });
    }

    private void startup() {
        if (closed) {
            return;
        }
        engine.run(request(Event.STARTUP)).thenAccept(reply -> {
            if (EventPolicy.succeeded(reply)) {
                log.info(
                        "startup event OK; monitoring every {} s",
                        tunables.get().get("MonitorInterval"));
                if (!closed) {
                    runState = RunState.RUNNING;
                }
                monitor();
            } else {
                log.error("startup event failed ({}); retrying in {} s", describe(reply), STARTUP_RETRY_MILLIS / 1000);
                scheduler.schedule(this::startup, STARTUP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void monitor() {
        if (closed) {
            return;
        }
        if (inRecovery.getAsBoolean()) {
            // As in CTDB, no monitoring while the cluster is in recovery; look again shortly.
            scheduler.schedule(this::monitor, 1, TimeUnit.SECONDS);
            return;
        }
        engine.run(request(Event.MONITOR)).thenAccept(reply -> {
            if (reply instanceof EventReply.Completed c
                    && c.scripts().stream().anyMatch(r -> SpawnFailure.isJdkReplaced(r.output()))) {
                // The scripts could not even start, which says nothing about the node: keep the verdict.
                SpawnFailure.report(
                        "monitor event scripts",
                        c.scripts().get(c.scripts().size() - 1).output());
                scheduler.schedule(this::monitor, Math.max(1, tunables.get().get("MonitorInterval")), TimeUnit.SECONDS);
                return;
            }
            MonitorTimeoutTracker.Verdict v =
                    monitorTracker.onMonitor(reply, (int) tunables.get().get("MonitorTimeoutCount"));
            if (v != MonitorTimeoutTracker.Verdict.UNCHANGED) {
                boolean ok = v == MonitorTimeoutTracker.Verdict.HEALTHY;
                core.execute(() -> healthy.accept(ok));
            }
            long interval = Math.max(1, tunables.get().get("MonitorInterval"));
            scheduler.schedule(this::monitor, interval, TimeUnit.SECONDS);
        });
    }

    /**
     * The shutdown event, as ctdbd runs it once its addresses are released: the service scripts
     * stop their services. Monitoring ends first; completes when the scripts are done or timed out.
     */
    /** Where the daemon's event sequence is: INIT, SETUP, STARTUP, RUNNING, then SHUTDOWN. */
    RunState runState() {
        return runState;
    }

    CompletableFuture<Void> runShutdownEvent() {
        closed = true; // no further monitor or startup
        runState = RunState.SHUTDOWN;
        if (engine == null) {
            return CompletableFuture.completedFuture(null);
        }
        return engine.run(request(Event.SHUTDOWN)).handle((reply, failure) -> {
            if (failure != null || !EventPolicy.succeeded(reply)) {
                log.error("shutdown event failed ({})", failure != null ? failure.toString() : describe(reply));
            }
            return null;
        });
    }

    /** Runs startrecovery or recovered for the leader; a timeout counts as success, as in CTDB. */
    CompletableFuture<Boolean> runRecoveryEvent(String name, long generation) {
        Optional<Event> event = Event.parse(name);
        if (engine == null || event.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        // startrecovery runs while the node is in recovery; recovered as the node leaves it.
        boolean inRecoveryMode = event.get() == Event.STARTRECOVERY;
        return engine.run(new EventRequest(
                        event.get(),
                        List.of(),
                        tunables.get().millis("EventScriptTimeout"),
                        inRecoveryMode,
                        generation))
                .thenApply(reply -> {
                    boolean ok = EventPolicy.succeeded(reply);
                    if (!ok) {
                        log.error("{} event failed ({})", name, describe(reply));
                    }
                    return ok;
                });
    }

    private EventRequest request(Event event) {
        return new EventRequest(event, List.of(), tunables.get().millis("EventScriptTimeout"), false, -1);
    }

    static String describe(EventReply reply) {
        if (reply instanceof EventReply.Completed) {
            EventReply.Completed c = (EventReply.Completed) reply;
            return c.timedOut() ? "timed out" : "status " + c.summary();
        }
        return reply.getClass().getSimpleName().toLowerCase();
    }

    /** Scripts call ctdb-config from CTDB_HELPER_BINDIR; ours answers through `jctdb config`. */
    private static void writeCtdbConfigHelper(Path dir, Path jctdbCommand) throws IOException {
        Files.createDirectories(dir);
        Path helper = dir.resolve("ctdb-config");
        Files.writeString(helper, "#!/bin/sh\nexec \"" + jctdbCommand + "\" config \"$@\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The stock 10.interface resets a released address's connections with CTDB_HELPER_BINDIR/ctdb_killtcp IFACE. */
    private static void writeKillTcpHelper(Path dir, Path jctdbTcp) throws IOException {
        Path helper = dir.resolve("ctdb_killtcp");
        Files.writeString(helper, "#!/bin/sh\nexec \"" + jctdbTcp + "\" kill \"$@\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void close() {
        closed = true;
        if (engine != null) {
            engine.close();
        }
        scheduler.shutdownNow();
    }
}
