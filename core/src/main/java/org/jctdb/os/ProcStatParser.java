package org.jctdb.os;

/** Parses the single line of /proc/PID/stat. Pure, so it can be tested with odd command names. */
public final class ProcStatParser {
    private ProcStatParser() {}

    /**
     * Returns null when the line is not a well-formed stat line. The command name is in
     * parentheses and may itself contain spaces and parentheses, so fields are counted from the
     * last ')'.
     */
    public static ProcInfo parse(String line) {
        if (line == null) {
            return null;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 >= line.length()) {
            return null;
        }
        try {
            int pid = Integer.parseInt(line.substring(0, open).trim());
            String comm = line.substring(open + 1, close);
            String[] f = line.substring(close + 2).trim().split(" +");
            // f[0]=state f[1]=ppid f[2]=pgrp f[3]=session ... f[19]=starttime
            if (f.length < 20 || f[0].length() != 1) {
                return null;
            }
            return new ProcInfo(
                    pid,
                    Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]),
                    f[0].charAt(0),
                    comm,
                    Long.parseLong(f[19]),
                    "",
                    null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
