package org.jctdb.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How to print: human text, CTDB's machine-readable rows ({@code -X} and {@code -Y} are {@code |},
 * {@code -x SEP}), or JSON. Machine rows start and end with the separator.
 */
public record OutputStyle(String separator, boolean json) {
    public static final OutputStyle HUMAN = new OutputStyle(null, false);

    public boolean machine() {
        return separator != null;
    }

    /** One machine-readable row: {@code |a|b|c|}. */
    public String row(List<?> fields) {
        return fields.stream().map(String::valueOf).collect(Collectors.joining(separator, separator, separator)) + "\n";
    }

    public String row(Object... fields) {
        return row(List.of(fields));
    }
}
