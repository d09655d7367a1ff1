package org.jctdb.event.format;

/** Text to print on stdout and the process exit code, as the ctdb tool would produce them. */
public record Rendered(String text, int exitCode) {}
