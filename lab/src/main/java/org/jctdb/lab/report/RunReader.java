package org.jctdb.lab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.RunInfo;
import org.jctdb.lab.report.RunData.Sample;
import org.jctdb.lab.report.RunData.Violation;

/** Reads a run directory; any line that does not follow the format is an error naming file and line. */
public final class RunReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunReader() {}

    /** A visitor of the JSON lines of one file. */
    private interface LineHandler {
        void accept(JsonLine line) throws LabFormatException;
    }

    public static RunData read(Path dir) throws LabFormatException {
        Path runJson = dir.resolve("run.json");
        if (!Files.isRegularFile(runJson)) {
            throw new LabFormatException(dir, 0, "not a lab run directory (no run.json)");
        }
        List<String> warnings = new ArrayList<>();
        RunInfo info = runInfo(runJson);
        List<Sample> samples = new ArrayList<>();
        Map<String, String> canonical = new HashMap<>();
        eachLine(samplesFile(dir), warnings, l -> {
            Sample s = sample(l, canonical);
            if (!samples.isEmpty()) {
                Sample prev = samples.get(samples.size() - 1);
                if (s.t() < prev.t()) {
                    throw l.error("sample time " + s.t() + " is before the previous sample's " + prev.t());
                }
                s = sharing(s, prev);
            }
            samples.add(s);
        });
        long runEnd = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).t();
        FaultPairing pairing = new FaultPairing();
        eachLine(dir.resolve("faults.jsonl"), warnings, pairing::add);
        List<Violation> violations = new ArrayList<>();
        eachLine(
                dir.resolve("violations.jsonl"),
                warnings,
                l -> violations.add(new Violation(
                        l.longField("t"), l.textOf(l.node(), "invariant", true), l.textOf(l.node(), "detail", false))));
        violations.sort(Comparator.comparingLong(Violation::t));
        return new RunData(dir, info, pairing.faults(runEnd), samples, violations, warnings);
    }

    /** samples.jsonl, or the samples.jsonl.gz `jctdb lab campaign` leaves (small enough to commit). */
    static Path samplesFile(Path dir) {
        Path plain = dir.resolve("samples.jsonl");
        Path gz = dir.resolve("samples.jsonl.gz");
        return !Files.exists(plain) && Files.exists(gz) ? gz : plain;
    }

    private static RunInfo runInfo(Path file) throws LabFormatException {
        JsonLine l = new JsonLine(file, 0, parse(file, 0, text(file)));
        JsonNode n = l.node();
        List<String> ips = new ArrayList<>();
        for (JsonNode ip : l.arrayOf(n, "publicIps", false)) {
            ips.add(ip.asText());
        }
        String system = l.textOf(n, "system", true);
        long interval = l.longOf(n, "sampleIntervalMs", false, 100);
        if (interval <= 0) {
            throw l.error("sampleIntervalMs must be positive, not " + interval);
        }
        JsonNode bounds = l.objectOf(n, "bounds", false);
        JsonNode db = l.objectOf(n, "db", false);
        JsonNode w = l.objectOf(db, "pwrite", false);
        JsonNode r = l.objectOf(db, "pread", false);
        JsonNode f = l.objectOf(db, "vfetch", false);
        return new RunInfo(
                system,
                l.longOf(n, "seed", false, 0),
                l.doubleOf(n, "minutes", 0),
                l.intOf(n, "nodes", true, 0),
                ips,
                l.textOf(n, "command", false),
                l.textOf(n, "startedAt", false),
                l.textOf(n, "endedAt", false),
                interval,
                l.longOf(bounds, "healMs", false, 0),
                l.boolOf(n, "interrupted", false),
                new RunData.DbCounts(
                        l.longOf(w, "ok", false, 0),
                        l.longOf(w, "failed", false, 0),
                        l.longOf(r, "ok", false, 0),
                        l.longOf(r, "failed", false, 0),
                        l.longOf(f, "ok", false, 0),
                        l.longOf(f, "failed", false, 0),
                        l.longOf(db, "staleReads", false, 0)));
    }

    /**
     * The sample holding the previous one's node list and maps where they are equal: most samples
     * repeat the last, and a 30-minute run then takes a few MB instead of 25.
     */
    private static Sample sharing(Sample s, Sample prev) {
        return new Sample(
                s.t(),
                s.nodes().equals(prev.nodes()) ? prev.nodes() : s.nodes(),
                s.addrs().equals(prev.addrs()) ? prev.addrs() : s.addrs(),
                s.lockHolders(),
                s.client().equals(prev.client()) ? prev.client() : s.client());
    }

    /** One sample; {@code canonical} shares the strings every sample repeats (a long run has 18,000). */
    private static Sample sample(JsonLine l, Map<String, String> canonical) throws LabFormatException {
        JsonNode n = l.node();
        List<NodeSample> nodes = new ArrayList<>();
        for (JsonNode ns : l.arrayOf(n, "nodes", false)) {
            if (!ns.isObject()) {
                throw l.error("\"nodes\" must hold objects, found " + ns);
            }
            int pnn = l.intOf(ns, "pnn", true, 0);
            if (pnn < 0 || pnn > JsonLine.MAX_PNN) {
                throw l.error("pnn must be a node number from 0 to " + JsonLine.MAX_PNN + ", not " + pnn);
            }
            nodes.add(new NodeSample(
                    pnn,
                    l.boolOf(ns, "reachable", true),
                    canonical.computeIfAbsent(l.textOf(ns, "status", true), x -> x),
                    l.intOf(ns, "leader", false, -1),
                    l.intOf(ns, "dstate", false, 0),
                    l.intOf(ns, "hungProbes", false, 0)));
        }
        Map<String, List<Integer>> addrs = new LinkedHashMap<>();
        for (var e : l.objectOf(n, "addrs", false).properties()) {
            if (!e.getValue().isArray()) {
                throw l.error("address " + e.getKey() + " must map to an array of nodes, not " + e.getValue());
            }
            List<Integer> hosts = List.copyOf(l.pnns(e.getValue(), "address " + e.getKey()));
            addrs.put(canonical.computeIfAbsent(e.getKey(), x -> x), hosts);
        }
        Map<String, Boolean> client = new LinkedHashMap<>();
        for (var e : l.objectOf(n, "client", false).properties()) {
            if (!e.getValue().isBoolean()) {
                throw l.error("client result for " + e.getKey() + " must be true or false, not " + e.getValue());
            }
            client.put(
                    canonical.computeIfAbsent(e.getKey(), x -> x), e.getValue().booleanValue());
        }
        return new Sample(l.longField("t"), List.copyOf(nodes), addrs, l.intOf(n, "lockHolders", false, 0), client);
    }

    /** Calls {@code handler} for each non-blank line; a missing file has no lines. */
    private static void eachLine(Path file, List<String> warnings, LineHandler handler) throws LabFormatException {
        if (!Files.exists(file)) {
            return;
        }
        boolean gz = file.getFileName().toString().endsWith(".gz");
        byte[] unpacked = gz ? gunzip(file) : null; // once: a gzip stream cannot be read from its end
        boolean cutOff = gz ? unpacked.length > 0 && unpacked[unpacked.length - 1] != '\n' : !endsWithNewline(file);
        try (BufferedReader in = gz
                ? new BufferedReader(new InputStreamReader(new ByteArrayInputStream(unpacked), StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            String next = in.readLine();
            while (next != null) {
                String line = next.strip();
                next = in.readLine();
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = parse(file, number, line);
                } catch (LabFormatException e) {
                    if (next == null && cutOff) { // no newline after it: the writer was stopped mid-line
                        warnings.add(file + ":" + number + ": ignored an incomplete last line (run cut off?)");
                        return;
                    }
                    throw e;
                }
                handler.accept(new JsonLine(file, number, node));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new LabFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static byte[] gunzip(Path file) throws LabFormatException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LabFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static boolean endsWithNewline(Path file) throws LabFormatException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            if (ch.size() == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.position(ch.size() - 1).read(last);
            return last.get(0) == '\n';
        } catch (IOException e) {
            throw new LabFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static JsonNode parse(Path file, int line, String text) throws LabFormatException {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new LabFormatException(file, line, "expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new LabFormatException(file, line, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(Path file) throws LabFormatException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabFormatException(file, 0, "cannot read: " + e);
        }
    }
}
