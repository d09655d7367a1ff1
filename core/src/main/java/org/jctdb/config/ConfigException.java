package org.jctdb.config;

import java.nio.file.Path;

/**
 * One configuration problem, naming the file and line it was found on, so that an
 * administrator can go straight to it. Parsers throw nothing else on bad input.
 */
public final class ConfigException extends Exception {
    private final String file;
    private final int line;
    private final String problem;

    public ConfigException(String file, int line, String problem) {
        super(format(file, line, problem));
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public ConfigException(Path file, int line, String problem) {
        this(String.valueOf(file), line, problem);
    }

    /** A problem with the file as a whole (missing, unreadable), not one line of it. */
    public static ConfigException forFile(Path file, String problem) {
        return new ConfigException(file, 0, problem);
    }

    private static String format(String file, int line, String problem) {
        return line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem;
    }

    public String file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
