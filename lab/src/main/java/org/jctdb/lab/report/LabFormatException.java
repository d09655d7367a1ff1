package org.jctdb.lab.report;

import java.nio.file.Path;

/** A run directory that does not follow the lab format; the message names the file and line. */
public final class LabFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public LabFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
