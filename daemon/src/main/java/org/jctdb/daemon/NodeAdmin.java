package org.jctdb.daemon;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.jctdb.protocol.NodeFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Administrative changes of this node's own flags (disable, stop, ban) on the core thread; a
 * ban lifts itself after its period unless a newer ban or an unban came meanwhile.
 */
final class NodeAdmin {
    private static final Logger log = LoggerFactory.getLogger("jctdb.daemon");

    private final ScheduledExecutorService core;
    private final Consumer<IntUnaryOperator> update;
    private long banToken;

    NodeAdmin(ScheduledExecutorService core, Consumer<IntUnaryOperator> update) {
        this.core = core;
        this.update = update;
    }

    CompletableFuture<Void> change(int set, int clear) {
        return CompletableFuture.runAsync(() -> update.accept(f -> (f | set) & ~clear), core);
    }

    CompletableFuture<Void> ban(int seconds, String why) {
        return CompletableFuture.runAsync(
                () -> {
                    long token = ++banToken;
                    log.warn("node banned for {} s: {}", seconds, why);
                    update.accept(f -> f | NodeFlags.BANNED);
                    if (seconds > 0) {
                        core.schedule(
                                () -> {
                                    if (token == banToken) {
                                        log.info("ban period of {} s over; node unbanned", seconds);
                                        update.accept(f -> f & ~NodeFlags.BANNED);
                                    }
                                },
                                seconds,
                                TimeUnit.SECONDS);
                    }
                },
                core);
    }

    CompletableFuture<Void> unban() {
        return CompletableFuture.runAsync(
                () -> {
                    banToken++;
                    update.accept(f -> f & ~NodeFlags.BANNED);
                },
                core);
    }
}
