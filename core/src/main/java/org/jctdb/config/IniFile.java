package org.jctdb.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Samba-style INI file as ctdb.conf uses it: {@code [section]} headers, {@code key = value}
 * lines, {@code #} and {@code ;} comments. Keys are kept with the line they came from so that
 * later validation can name it.
 */
public record IniFile(String name, Map<String, Map<String, Entry>> sections) {

    /** One {@code key = value} line. */
    public record Entry(String key, String value, int line) {}

    public static IniFile read(Path file) throws ConfigException {
        return parse(file.toString(), TextLines.read(file));
    }

    public static IniFile parse(String name, List<String> lines) throws ConfigException {
        Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
        Map<String, Entry> current = null;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new ConfigException(name, lineNo, "malformed section header \"" + line + "\"");
                }
                String section = line.substring(1, line.length() - 1).strip().toLowerCase();
                if (section.isEmpty()) {
                    throw new ConfigException(name, lineNo, "empty section name");
                }
                current = sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(name, lineNo, "expected \"key = value\", found \"" + line + "\"");
            }
            if (current == null) {
                throw new ConfigException(name, lineNo, "option outside of any [section]");
            }
            String key = line.substring(0, eq).strip().replaceAll("\\s+", " ").toLowerCase();
            String value = line.substring(eq + 1).strip();
            Entry previous = current.put(key, new Entry(key, value, lineNo));
            if (previous != null) {
                throw new ConfigException(name, lineNo, "option \"" + key + "\" repeats line " + previous.line());
            }
        }
        return new IniFile(name, sections);
    }

    public List<String> sectionNames() {
        return new ArrayList<>(sections.keySet());
    }
}
