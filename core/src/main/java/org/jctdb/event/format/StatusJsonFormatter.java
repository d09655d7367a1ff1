package org.jctdb.event.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.jctdb.event.Event;
import org.jctdb.event.EventReply;
import org.jctdb.event.Hang;
import org.jctdb.event.ScriptResult;
import org.jctdb.os.ProcInfo;

/** Event status as JSON, with everything the text hides (evidence, debug output, stacks). */
public final class StatusJsonFormatter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJsonFormatter() {}

    public static Rendered status(String component, Event event, Optional<EventReply.Completed> last) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("component", component);
        root.put("event", event.wireName());
        int exit;
        if (last.isEmpty()) {
            root.put("neverRun", true);
            exit = 22;
        } else {
            EventReply.Completed c = last.get();
            root.put("neverRun", false);
            ArrayNode args = root.putArray("args");
            c.args().forEach(args::add);
            root.put("start", c.start().toString());
            root.put("summary", c.summary());
            ArrayNode scripts = root.putArray("scripts");
            c.scripts().forEach(s -> scripts.add(script(s)));
            exit = Math.abs(c.summary());
        }
        root.put("exitCode", exit);
        try {
            return new Rendered(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", exit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode script(ScriptResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", r.name());
        n.put("status", r.status().label());
        n.put("code", r.code());
        n.put("summary", r.summary());
        n.put("start", r.start().toString());
        n.put("durationSeconds", r.durationMillis() / 1000.0);
        n.put("output", r.output());
        n.set("evidence", procs(r.evidence()));
        n.put("debugOutput", r.debugOutput());
        if (r.hang() != null) {
            Hang h = r.hang();
            ObjectNode hn = n.putObject("hang");
            hn.put("kind", h.kind().name());
            hn.put("pid", h.pid());
            hn.put("aliveSeconds", h.aliveMillis() / 1000.0);
            hn.set("processes", procs(h.processes()));
        }
        return n;
    }

    private static ArrayNode procs(List<ProcInfo> ps) {
        ArrayNode a = MAPPER.createArrayNode();
        for (ProcInfo p : ps) {
            ObjectNode n = a.addObject();
            n.put("pid", p.pid());
            n.put("ppid", p.ppid());
            n.put("pgrp", p.pgrp());
            n.put("session", p.session());
            n.put("state", String.valueOf(p.state()));
            n.put("comm", p.comm());
            n.put("wchan", p.wchan());
            ArrayNode st = n.putArray("stack");
            p.stack().forEach(st::add);
        }
        return a;
    }
}
