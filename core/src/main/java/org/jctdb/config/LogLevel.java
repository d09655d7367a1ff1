package org.jctdb.config;

import java.util.Locale;

/** CTDB's log levels, highest first; numeric levels 0-4 are accepted as CTDB does. */
public enum LogLevel {
    ERROR,
    WARNING,
    NOTICE,
    INFO,
    DEBUG;

    public static LogLevel parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        switch (t) {
            case "0":
            case "ERR":
                return ERROR;
            case "1":
            case "WARN":
                return WARNING;
            case "2":
                return NOTICE;
            case "3":
                return INFO;
            case "4":
                return DEBUG;
            default:
                return valueOf(t);
        }
    }
}
