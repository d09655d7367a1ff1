package org.jctdb.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jctdb.common.Ticker;

/**
 * Benchmark: wall time of one monitor event with 1, 10 and 50 trivial scripts, and the derived
 * per-script start cost. Run: java -cp target/classes:target/test-classes:$(deps) org.jctdb.event.EventBench
 */
public final class EventBench {
    private EventBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        System.out.println("| scripts | median ms | min ms | max ms |");
        System.out.println("|--------:|----------:|-------:|-------:|");
        double[] medians = new double[3];
        int[] counts = {1, 10, 50};
        for (int i = 0; i < counts.length; i++) {
            double[] t = measure(counts[i], rounds);
            medians[i] = t[0];
            System.out.printf("| %7d | %9.1f | %6.1f | %6.1f |%n", counts[i], t[0], t[1], t[2]);
        }
        System.out.printf("per-script start cost (50 vs 1 script): %.2f ms%n", (medians[2] - medians[0]) / 49.0);
    }

    private static double[] measure(int n, int rounds) throws Exception {
        Path tmp = Files.createTempDirectory("jctdb-bench");
        Path events = Files.createDirectories(tmp.resolve("etc/events/legacy"));
        for (int i = 0; i < n; i++) {
            Path p = events.resolve(String.format("%02d.s%d.script", i, i));
            Files.writeString(p, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ScheduledExecutorService ex = Executors.newScheduledThreadPool(2);
        EngineConfig cfg = EngineConfig.defaults(
                tmp.resolve("etc"), Path.of("/bin/true"), tmp.resolve("helper"), tmp.resolve("var"));
        EventEngine engine = new EventEngine(
                cfg, new ScriptDirectory(events, null), ex, Ticker.SYSTEM, Clock.systemDefaultZone(), null);
        try {
            for (int w = 0; w < 3; w++) {
                engine.run(EventRequest.of(Event.MONITOR, 30_000)).get(60, TimeUnit.SECONDS);
            }
            double[] samples = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                EventReply reply =
                        engine.run(EventRequest.of(Event.MONITOR, 30_000)).get(60, TimeUnit.SECONDS);
                samples[r] = (System.nanoTime() - t0) / 1e6;
                if (!(reply instanceof EventReply.Completed c) || c.summary() != 0) {
                    throw new IllegalStateException("monitor failed: " + reply);
                }
            }
            Arrays.sort(samples);
            return new double[] {samples[rounds / 2], samples[0], samples[rounds - 1]};
        } finally {
            engine.close();
            ex.shutdown();
        }
    }
}
