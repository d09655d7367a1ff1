package org.jctdb.config;

import java.util.Locale;

/**
 * CTDB's log levels, highest first. Text is read as ctdb reads it: a number 0-10 (Samba's debug
 * levels: 0 ERROR, 1-2 WARNING, 3-4 NOTICE, 5-9 INFO, 10 DEBUG) or a name, any case, that may be
 * shortened ("warn", "N").
 */
public enum LogLevel {
    ERROR,
    WARNING,
    NOTICE,
    INFO,
    DEBUG;

    /** The level {@code text} names; IllegalArgumentException when it names none. */
    public static LogLevel parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid debug level '" + text + "'");
            }
            return fromNumber(n);
        }
        String upper = t.toUpperCase(Locale.ROOT);
        for (LogLevel l : values()) {
            if (!upper.isEmpty() && l.name().startsWith(upper)) {
                return l;
            }
        }
        throw new IllegalArgumentException("Invalid debug level '" + text + "'");
    }

    static LogLevel fromNumber(int n) {
        if (n < 0 || n > 10) {
            throw new IllegalArgumentException("Invalid debug level '" + n + "'");
        }
        if (n == 0) {
            return ERROR;
        }
        if (n <= 2) {
            return WARNING;
        }
        if (n <= 4) {
            return NOTICE;
        }
        return n <= 9 ? INFO : DEBUG;
    }
}
