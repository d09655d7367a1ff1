package org.jctdb.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The files of one run directory, in the format of docs/design/lab-format.md: faults.jsonl,
 * samples.jsonl, violations.jsonl, db.jsonl, events.log (and run.json, written by {@link #writeRun}).
 * Thread-safe; each line is written whole.
 */
final class LabFiles implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<String> publicIps;
    private final BufferedWriter faults;
    private final BufferedWriter samples;
    private final BufferedWriter violations;
    private final BufferedWriter events;
    private final BufferedWriter db;
    private int unflushedSamples;

    LabFiles(Path dir, List<String> publicIps) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.publicIps = List.copyOf(publicIps);
        this.faults = open("faults.jsonl");
        this.samples = open("samples.jsonl");
        this.violations = open("violations.jsonl");
        this.events = open("events.log");
        this.db = open("db.jsonl");
    }

    private BufferedWriter open(String name) throws IOException {
        return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }

    Path dir() {
        return dir;
    }

    synchronized void event(long t, String text) {
        String line = String.format("+%d.%03d s %s", t / 1000, t % 1000, text);
        write(events, line, true);
        System.out.println(line);
    }

    synchronized void fault(FaultEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("t", e.t());
        o.put("id", e.id());
        o.put("phase", e.phase());
        o.put("kind", e.kind().wire());
        ArrayNode nodes = o.putArray("nodes");
        e.nodes().forEach(nodes::add);
        o.put("detail", e.detail());
        write(faults, o.toString(), true);
    }

    synchronized void violation(Violation v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("t", v.t());
        o.put("invariant", v.invariant());
        o.put("detail", v.detail());
        write(violations, o.toString(), true);
    }

    synchronized void db(DbEvent e) {
        write(db, JSON.valueToTree(e).toString(), true);
    }

    synchronized void sample(Sample s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("t", s.t());
        ArrayNode nodes = o.putArray("nodes");
        for (NodeSample n : s.nodes()) {
            ObjectNode j = nodes.addObject();
            j.put("pnn", n.pnn());
            j.put("reachable", n.reachable());
            j.put("status", n.status());
            j.put("leader", n.leader());
            j.put("dstate", n.dstate());
            j.put("hungProbes", n.hungProbes());
            ObjectNode view = j.putObject("ipView");
            publicIps.stream()
                    .filter(n.ipView()::containsKey)
                    .forEach(ip -> view.put(ip, n.ipView().get(ip)));
        }
        ObjectNode addrs = o.putObject("addrs");
        for (String ip : publicIps) {
            ArrayNode on = addrs.putArray(ip);
            s.addrs().getOrDefault(ip, List.of()).forEach(on::add);
        }
        o.put("lockHolders", s.lockHolders());
        ObjectNode client = o.putObject("client");
        publicIps.forEach(ip -> client.put(ip, Boolean.TRUE.equals(s.client().get(ip))));
        boolean flush = ++unflushedSamples >= 10;
        if (flush) {
            unflushedSamples = 0;
        }
        write(samples, o.toString(), flush);
    }

    /** Writes run.json (again at the end, with endedAt and interrupted). */
    synchronized void writeRun(ObjectNode run) throws IOException {
        Path tmp = dir.resolve("run.json.tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run) + "\n");
        Files.move(tmp, dir.resolve("run.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(BufferedWriter w, String line, boolean flush) {
        try {
            w.write(line);
            w.write('\n');
            if (flush) {
                w.flush();
            }
        } catch (IOException e) {
            System.err.println("lab: cannot write run file: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        for (BufferedWriter w : List.of(faults, samples, violations, events, db)) {
            try {
                w.close();
            } catch (IOException e) {
                System.err.println("lab: cannot close run file: " + e.getMessage());
            }
        }
    }
}
