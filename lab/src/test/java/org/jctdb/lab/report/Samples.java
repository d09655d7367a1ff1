package org.jctdb.lab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jctdb.lab.report.RunData.Fault;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.RunInfo;
import org.jctdb.lab.report.RunData.Sample;

/**
 * Hand-made samples for the analysis tests. An address is written "A:1" (on node 1, reached),
 * "A:-" (on no node), "A:0+2" (on nodes 0 and 2) and gets a trailing "x" when the client failed
 * to reach it; with more or fewer than one node it counts as unreached.
 */
final class Samples {
    private Samples() {}

    static Sample at(long t, String... addrs) {
        Map<String, List<Integer>> hosts = new LinkedHashMap<>();
        Map<String, Boolean> client = new LinkedHashMap<>();
        for (String a : addrs) {
            String[] parts = a.split(":");
            String where = parts[1];
            boolean unreached = where.endsWith("x");
            where = unreached ? where.substring(0, where.length() - 1) : where;
            List<Integer> on = new ArrayList<>();
            if (!where.equals("-")) {
                for (String n : where.split("\\+")) {
                    on.add(Integer.parseInt(n));
                }
            }
            hosts.put(parts[0], on);
            client.put(parts[0], !unreached && on.size() == 1);
        }
        return new Sample(t, List.of(new NodeSample(0, true, "OK", 0, 0, 0)), hosts, 1, client);
    }

    static Fault fault(int id, String kind, long start, long end, Integer... nodes) {
        return new Fault(id, kind, List.of(nodes), start, end, true, "");
    }

    static RunData run(List<Fault> faults, Sample... samples) {
        RunInfo info = new RunInfo(
                "jctdb", 1, 1, 3, List.of(), "jctdb lab run", "", "", 100, 30_000, false, RunData.DbCounts.NONE);
        return new RunData(Path.of("/runs/test"), info, faults, List.of(samples), List.of(), List.of());
    }
}
