package org.jctdb.control;

/** What a command printed and how it exited, carried back to the {@code jctdb} process. */
public record ControlReply(int exitCode, String stdout, String stderr) {
    public static ControlReply error(int exitCode, String message) {
        return new ControlReply(exitCode, "", message.endsWith("\n") ? message : message + "\n");
    }
}
