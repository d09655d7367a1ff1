package org.jctdb.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An immutable set of tunable values; names are matched without regard to case, as in CTDB. */
public final class Tunables {
    private static final Map<String, TunableDef> BY_KEY = new LinkedHashMap<>();
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_]+)\\s*=\\s*(\\S+)");
    private static final long MAX = 0xffffffffL;

    static {
        for (TunableDef d : TunableDef.ALL) {
            BY_KEY.put(d.name().toLowerCase(Locale.ROOT), d);
        }
    }

    private final Map<String, Long> values;

    private Tunables(Map<String, Long> values) {
        this.values = values;
    }

    public static Tunables defaults() {
        Map<String, Long> v = new LinkedHashMap<>();
        for (TunableDef d : TunableDef.ALL) {
            v.put(d.name(), d.defaultValue());
        }
        return new Tunables(v);
    }

    public static Optional<TunableDef> definition(String name) {
        return Optional.ofNullable(BY_KEY.get(name.toLowerCase(Locale.ROOT)));
    }

    public long get(String name) {
        // Code asks by the canonical name several times a tick: skip lower-casing it then.
        Long exact = values.get(name);
        if (exact != null) {
            return exact;
        }
        TunableDef d = definition(name).orElseThrow(() -> new IllegalArgumentException("no tunable " + name));
        return values.get(d.name());
    }

    /** Seconds-valued tunables read as milliseconds, for timers. */
    public long millis(String name) {
        return get(name) * 1000L;
    }

    public Tunables with(String name, long value) {
        TunableDef d = definition(name).orElseThrow(() -> new IllegalArgumentException("no tunable " + name));
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("value " + value + " out of range for " + d.name());
        }
        Map<String, Long> v = new LinkedHashMap<>(values);
        v.put(d.name(), value);
        return new Tunables(v);
    }

    /** The tunables {@code listvars} shows, in CTDB's order. */
    public List<Map.Entry<String, Long>> listed() {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        for (TunableDef d : TunableDef.ALL) {
            if (!d.obsolete() && !d.extension()) {
                out.add(Map.entry(d.name(), values.get(d.name())));
            }
        }
        return out;
    }

    public Map<String, Long> asMap() {
        return Map.copyOf(values);
    }

    /** Reads a ctdb.tunables file over the defaults; a missing file changes nothing. */
    public static Tunables read(Path file, List<String> warnings) throws ConfigException {
        if (!Files.exists(file)) {
            return defaults();
        }
        return parse(file.toString(), TextLines.read(file), warnings);
    }

    public static Tunables parse(String name, List<String> lines, List<String> warnings) throws ConfigException {
        Tunables t = defaults();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ConfigException(name, lineNo, "expected \"TUNABLE=VALUE\", found \"" + line + "\"");
            }
            Optional<TunableDef> def = definition(m.group(1));
            if (def.isEmpty()) {
                throw new ConfigException(name, lineNo, "unknown tunable \"" + m.group(1) + "\"");
            }
            long value;
            try {
                value = Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0 || value > MAX) {
                throw new ConfigException(
                        name,
                        lineNo,
                        "value \"" + m.group(2) + "\" for tunable \""
                                + def.get().name() + "\" must be a whole number from 0 to " + MAX);
            }
            if (def.get().obsolete()) {
                warnings.add(name + ":" + lineNo + ": tunable \"" + def.get().name() + "\" is obsolete");
            }
            t = t.with(def.get().name(), value);
        }
        return t;
    }
}
