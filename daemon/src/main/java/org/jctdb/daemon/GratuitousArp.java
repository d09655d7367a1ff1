package org.jctdb.daemon;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jctdb.config.Installation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a public address on its interface with gratuitous ARPs, as CTDB does after
 * takeip: runs our {@code jctdb_gratarp} helper (3 rounds, 1 s apart) off the core thread,
 * at most four at a time, each with a deadline (SIGTERM, then SIGKILL; the helper never forks).
 * Failures are reported, never fatal: the address works without the announcement, clients
 * only find it later.
 */
final class GratuitousArp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");
    static final int ROUNDS = 3;
    static final long INTERVAL_MS = 1000;
    static final long DEADLINE_MS = ROUNDS * INTERVAL_MS + 2000;

    private final Path helper;
    /** A few at once: a node taking several addresses announces them together, as CTDB does. */
    private final ExecutorService worker = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "jctdb-gratarp");
        t.setDaemon(true);
        return t;
    });

    GratuitousArp(Path helper) {
        this.helper = helper;
    }

    /** The helper of this installation. */
    static GratuitousArp installed() {
        return new GratuitousArp(Installation.current().helper("jctdb_gratarp"));
    }

    /** Sends the announcement for an address taken or moved here; logs the outcome. */
    void announceInBackground(String iface, String ip) {
        if (ip.indexOf(':') >= 0) {
            return; // IPv6 would need unsolicited neighbour advertisements: not sent
        }
        announce(iface, ip, ROUNDS, INTERVAL_MS).thenAccept(failure -> {
            if (failure.isEmpty()) {
                log.info("announced {} on {} with gratuitous ARP", ip, iface);
            } else {
                log.warn("gratuitous ARP for {} on {} failed: {}", ip, iface, failure);
            }
        });
    }

    /** Runs the helper; completes with "" or what went wrong. Never blocks the caller. */
    CompletableFuture<String> announce(String iface, String ip, int rounds, long intervalMs) {
        return CompletableFuture.supplyAsync(
                () -> HelperRun.run(
                        List.of(helper.toString(), iface, ip, String.valueOf(rounds), String.valueOf(intervalMs)),
                        "",
                        DEADLINE_MS),
                worker);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
