package org.jctdb.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private static final long KILL_GRACE_MS = 500;

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
                () -> run(List.of(helper.toString(), iface, ip, String.valueOf(rounds), String.valueOf(intervalMs))),
                worker);
    }

    private String run(List<String> argv) {
        if (!Files.isExecutable(helper)) {
            return helper + " is not built (mvn package)";
        }
        Path errFile = null;
        try {
            errFile = Files.createTempFile("jctdb-gratarp", ".err");
            Process p = new ProcessBuilder(argv)
                    .directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errFile.toFile())
                    .start();
            if (!p.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(KILL_GRACE_MS, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
                return "no answer within " + DEADLINE_MS + " ms; killed";
            }
            String err = Files.readString(errFile, StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? "" : (err.isEmpty() ? "exit " + p.exitValue() : err);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (errFile != null) {
                try {
                    Files.deleteIfExists(errFile);
                } catch (IOException e) {
                    // a temp file left behind
                }
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
