package org.jctdb.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;

/** A CTDB_BASE in a temp dir with real scripts, and an engine over it. */
final class EngineFixture implements AutoCloseable {
    final Path base;
    final Path events;
    final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final List<Hang> hangs = new CopyOnWriteArrayList<>();
    EventEngine engine;

    EngineFixture(Path tmp) throws IOException {
        base = tmp.resolve("etc");
        events = base.resolve("events/legacy");
        Files.createDirectories(events);
    }

    EngineConfig config() {
        return EngineConfig.defaults(
                        base,
                        Path.of("/bin/echo"),
                        base.resolve("helper"),
                        base.getParent().resolve("var"))
                .withTimings(300, 1000, 3000);
    }

    EventEngine start(EngineConfig cfg) throws IOException {
        engine = new EventEngine(
                cfg,
                new ScriptDirectory(events, null),
                executor,
                Ticker.SYSTEM,
                Clock.systemDefaultZone(),
                new EventEngine.Listener() {
                    @Override
                    public void hang(String script, Hang hang) {
                        hangs.add(hang);
                    }
                });
        return engine;
    }

    EventEngine start() throws IOException {
        return start(config());
    }

    Path script(String name, String body) throws IOException {
        Path p = events.resolve(name + ".script");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    Path disabledScript(String name, String body) throws IOException {
        Path p = script(name, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        return p;
    }

    EventReply run(Event e, long timeoutMillis, String... args) throws Exception {
        return engine.run(EventRequest.of(e, timeoutMillis, args)).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            // let kill sequences finish so no test leaves processes behind
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> engine.killsInProgress() == 0);
        }
        executor.shutdown();
    }
}
