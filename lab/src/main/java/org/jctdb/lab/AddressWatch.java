package org.jctdb.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches which of a set of addresses each network namespace has configured, from
 * {@code ip -o monitor address} in every namespace (each change, stamped on arrival), after an
 * initial {@code ip -o addr} listing. {@link #sample} answers what a sample at any instant
 * would have seen; {@link #overlaps} checks a grid of such samples.
 */
public final class AddressWatch implements AutoCloseable {
    private static final Pattern ADDR = Pattern.compile("^(Deleted )?\\d+: \\S+\\s+inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

    /** One change: at {@code nanos}, {@code ns} gained ({@code present}) or lost {@code ip}. */
    public record Change(long nanos, String ns, String ip, boolean present) {}

    private final Set<String> watched;
    private final List<Process> monitors = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final List<String> namespaces;

    private AddressWatch(List<String> namespaces, Set<String> watched) {
        this.namespaces = List.copyOf(namespaces);
        this.watched = Set.copyOf(watched);
    }

    public static AddressWatch start(List<String> namespaces, Set<String> watched) throws IOException {
        AddressWatch w = new AddressWatch(namespaces, watched);
        for (String ns : namespaces) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ip", "-o", "-4", "monitor", "address")
                    .redirectErrorStream(true)
                    .start();
            w.monitors.add(p);
            Thread t = new Thread(() -> w.read(ns, p), "addr-watch-" + ns);
            t.setDaemon(true);
            t.start();
        }
        // Let the monitors subscribe before listing, so no change falls between the two.
        Commands.parkBriefly();
        Commands.parkBriefly();
        for (String ns : namespaces) {
            String out = Commands.run(Duration.ofSeconds(10), "ip", "netns", "exec", ns, "ip", "-o", "-4", "addr")
                    .requireOk()
                    .output();
            long now = System.nanoTime();
            for (String line : out.split("\n")) {
                w.line(ns, line, now, true);
            }
        }
        return w;
    }

    private void read(String ns, Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                line(ns, line, System.nanoTime(), false);
            }
        } catch (IOException e) {
            // monitor ended
        }
    }

    private void line(String ns, String line, long nanos, boolean listing) {
        Matcher m = ADDR.matcher(line);
        if (!m.find() || !watched.contains(m.group(2))) {
            return;
        }
        boolean present = m.group(1) == null;
        synchronized (changes) {
            if (listing) {
                // The listing only fills in what no monitor event has said yet.
                for (Change c : changes) {
                    if (c.ns().equals(ns) && c.ip().equals(m.group(2))) {
                        return;
                    }
                }
                nanos = 0;
            }
            changes.add(new Change(nanos, ns, m.group(2), present));
        }
    }

    /** ip to the namespaces that have it at instant {@code nanos}. */
    public Map<String, Set<String>> sample(long nanos) {
        Map<String, Map<String, Boolean>> state = new HashMap<>();
        for (Change c : snapshot()) {
            if (c.nanos() <= nanos) {
                state.computeIfAbsent(c.ip(), k -> new HashMap<>()).put(c.ns(), c.present());
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        for (String ip : watched) {
            Set<String> where = new HashSet<>();
            state.getOrDefault(ip, Map.of()).forEach((ns, on) -> {
                if (on) {
                    where.add(ns);
                }
            });
            out.put(ip, where);
        }
        return out;
    }

    public Map<String, Set<String>> now() {
        return sample(System.nanoTime());
    }

    /** Samples every {@code stepMillis} from {@code fromNanos} to now where an address is in two places. */
    public List<String> overlaps(long fromNanos, long stepMillis) {
        List<String> bad = new ArrayList<>();
        for (long t = fromNanos; t <= System.nanoTime(); t += stepMillis * 1_000_000) {
            for (Map.Entry<String, Set<String>> e : sample(t).entrySet()) {
                if (e.getValue().size() > 1) {
                    bad.add(String.format("+%d ms: %s on %s", (t - fromNanos) / 1_000_000, e.getKey(), e.getValue()));
                }
            }
        }
        return bad;
    }

    /** Longest stretch during which an address was configured in two namespaces at once, in ms. */
    public long longestOverlapMillis(long fromNanos) {
        long longest = 0;
        long start = -1;
        List<Change> all = snapshot();
        all.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        Map<String, Map<String, Boolean>> state = new HashMap<>();
        for (Change c : all) {
            state.computeIfAbsent(c.ip(), k -> new HashMap<>()).put(c.ns(), c.present());
            boolean two = state.values().stream()
                    .anyMatch(m -> m.values().stream().filter(b -> b).count() > 1);
            if (two && start < 0) {
                start = Math.max(c.nanos(), fromNanos);
            } else if (!two && start >= 0) {
                longest = Math.max(longest, (c.nanos() - start) / 1_000_000);
                start = -1;
            }
        }
        if (start >= 0) {
            longest = Math.max(longest, (System.nanoTime() - start) / 1_000_000);
        }
        return longest;
    }

    public List<Change> snapshot() {
        synchronized (changes) {
            return new ArrayList<>(changes);
        }
    }

    public List<String> namespaces() {
        return namespaces;
    }

    @Override
    public void close() {
        monitors.forEach(Commands::killTree);
    }
}
