package org.jctdb.lab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.RunInfo;
import org.jctdb.lab.report.RunData.Sample;
import org.jctdb.lab.report.RunData.Violation;

/** Reads a run directory; any line that does not follow the format is an error naming file and line. */
public final class RunReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunReader() {
    }

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
        eachLine(dir.resolve("samples.jsonl"), warnings, l -> {
            Sample s = sample(l);
            if (!samples.isEmpty() && s.t() < samples.get(samples.size() - 1).t()) {
                throw l.error("sample time " + s.t() + " is before the previous sample's "
                        + samples.get(samples.size() - 1).t());
            }
            samples.add(s);
        });
        long runEnd = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).t();
        FaultPairing pairing = new FaultPairing();
        eachLine(dir.resolve("faults.jsonl"), warnings, pairing::add);
        List<Violation> violations = new ArrayList<>();
        eachLine(dir.resolve("violations.jsonl"), warnings, l -> violations.add(new Violation(
                l.longField("t"), l.textOf(l.node(), "invariant", true), l.textOf(l.node(), "detail", false))));
        violations.sort(Comparator.comparingLong(Violation::t));
        return new RunData(dir, info, pairing.faults(runEnd), samples, violations, warnings);
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
        return new RunInfo(system, l.longOf(n, "seed", false, 0), l.doubleOf(n, "minutes", 0),
                l.intOf(n, "nodes", true, 0), ips, l.textOf(n, "command", false), l.textOf(n, "startedAt", false),
                l.textOf(n, "endedAt", false), interval, l.longOf(bounds, "healMs", false, 0),
                l.boolOf(n, "interrupted", false));
    }

    private static Sample sample(JsonLine l) throws LabFormatException {
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
            nodes.add(new NodeSample(pnn, l.boolOf(ns, "reachable", true),
                    l.textOf(ns, "status", true), l.intOf(ns, "leader", false, -1), l.intOf(ns, "dstate", false, 0),
                    l.intOf(ns, "hungProbes", false, 0)));
        }
        Map<String, List<Integer>> addrs = new LinkedHashMap<>();
        for (var e : l.objectOf(n, "addrs", false).properties()) {
            if (!e.getValue().isArray()) {
                throw l.error("address " + e.getKey() + " must map to an array of nodes, not " + e.getValue());
            }
            addrs.put(e.getKey(), List.copyOf(l.pnns(e.getValue(), "address " + e.getKey())));
        }
        Map<String, Boolean> client = new LinkedHashMap<>();
        for (var e : l.objectOf(n, "client", false).properties()) {
            if (!e.getValue().isBoolean()) {
                throw l.error("client result for " + e.getKey() + " must be true or false, not " + e.getValue());
            }
            client.put(e.getKey(), e.getValue().booleanValue());
        }
        return new Sample(l.longField("t"), List.copyOf(nodes), addrs, l.intOf(n, "lockHolders", false, 0), client);
    }

    /** Calls {@code handler} for each non-blank line; a missing file has no lines. */
    private static void eachLine(Path file, List<String> warnings, LineHandler handler) throws LabFormatException {
        if (!Files.exists(file)) {
            return;
        }
        String text = text(file);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean partialLast = i == lines.length - 1; // no newline after it: the writer was cut off
            JsonNode node;
            try {
                node = parse(file, i + 1, line);
            } catch (LabFormatException e) {
                if (partialLast) {
                    warnings.add(file + ":" + (i + 1) + ": ignored an incomplete last line (run cut off?)");
                    return;
                }
                throw e;
            }
            handler.accept(new JsonLine(file, i + 1, node));
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
