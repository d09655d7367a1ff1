package org.jctdb.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.config.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging from {@code [logging]} in code (no XML scanning at start-up): one line per
 * event in CTDB's style, {@code 2026/11/25 10:00:00.123456 jctdbd[PID]: component: message}.
 */
public final class Logging {
    private static String currentLocation;
    private static Appender<ILoggingEvent> current;

    private Logging() {}

    public static synchronized void configure(String location, LogLevel level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Appender<ILoggingEvent> appender = appender(ctx, location);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(map(level));
        // Netty's own chatter is of no use to an administrator below WARNING.
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        // Nor gRPC's (the etcd lock's client): at INFO it logs every HTTP/2 frame, half of a lab node's log.
        ctx.getLogger("io.grpc").setLevel(Level.WARN);
        currentLocation = location;
        current = appender;
    }

    /** setdebug: the root logger's level from now on (Netty's and gRPC's stay at WARN). */
    public static void setLevel(LogLevel level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(map(level));
    }

    /**
     * SIGHUP: opens the log file again by name, so that after logrotate's {@code mv} the new lines
     * go to the new file. The new file is opened before the old one is closed: no line is lost.
     * Returns what happened, for the log.
     */
    public static synchronized String reopen() {
        if (currentLocation == null || !currentLocation.startsWith("file:")) {
            return "log location " + currentLocation + " needs no reopening";
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> next = appender(ctx, currentLocation);
        if (!next.isStarted()) {
            return "cannot reopen " + currentLocation.substring(5) + "; still writing to the old file";
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(next);
        Appender<ILoggingEvent> old = current;
        current = next;
        root.detachAppender(old);
        old.stop();
        return "reopened " + currentLocation.substring(5);
    }

    /**
     * From now on what the JVM's code writes to System.err (uncaught exceptions, library warnings)
     * goes to the log, line by line: a detached daemon's stderr leads nowhere.
     */
    public static void captureStderr() {
        Logger log = LoggerFactory.getLogger("jctdb.stderr");
        System.setErr(new PrintStream(
                new OutputStream() {
                    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                    @Override
                    public synchronized void write(int b) {
                        if (b == '\n') {
                            log.error("{}", line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else if (line.size() < 8192) {
                            line.write(b);
                        }
                    }
                },
                true,
                StandardCharsets.UTF_8));
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> log.error("uncaught in thread {}", t.getName(), e));
    }

    private static Appender<ILoggingEvent> appender(LoggerContext ctx, String location) {
        long pid = ProcessHandle.current().pid();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy/MM/dd HH:mm:ss.SSSSSS} jctdbd[" + pid + "]: %logger{0}: %msg%n");
        encoder.start();
        Appender<ILoggingEvent> appender;
        if (location.startsWith("file:")) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(location.substring(5));
            file.setAppend(true);
            file.setEncoder(encoder);
            appender = file;
        } else if (location.startsWith("syslog")) {
            // The JVM cannot write datagrams to /dev/log; this is CTDB's "syslog:udp" method.
            SyslogAppender syslog = new SyslogAppender();
            syslog.setSyslogHost("localhost");
            syslog.setFacility("DAEMON");
            syslog.setSuffixPattern("jctdbd[" + pid + "]: %logger{0}: %msg");
            appender = syslog;
        } else {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            console.setEncoder(encoder);
            appender = console;
        }
        appender.setContext(ctx);
        appender.setName("main");
        appender.start();
        return appender;
    }

    /**
     * Folds a line that repeats ("cluster lock CONTENTION" every 1.4 s while a leader is paused):
     * the first is logged, identical ones within the window are counted, and the count is logged as
     * "... (repeated N times)" when the window ends or a different line comes.
     */
    public static final class Repeats {
        private final long windowNanos;
        private String last;
        private long count;
        private long since;

        public Repeats(long windowNanos) {
            this.windowNanos = windowNanos;
        }

        /** The lines to log now for {@code line} (none, one, or the summary of the last and this one). */
        public synchronized List<String> next(String line, long nowNanos) {
            if (line.equals(last) && nowNanos - since < windowNanos) {
                count++;
                return List.of();
            }
            List<String> out = new ArrayList<>(2);
            if (count > 0) {
                out.add(last + " (repeated " + count + " times)");
            }
            if (!line.equals(last) || count == 0) {
                out.add(line);
            }
            last = line;
            count = 0;
            since = nowNanos;
            return out;
        }

        /** The count of the last line if it was repeated; forgets it (the next one is logged again). */
        public synchronized List<String> flush() {
            List<String> out = count > 0 ? List.of(last + " (repeated " + count + " times)") : List.of();
            last = null;
            count = 0;
            return out;
        }
    }

    static Level map(LogLevel level) {
        switch (level) {
            case ERROR:
                return Level.ERROR;
            case WARNING:
                return Level.WARN;
            case NOTICE:
                return Level.INFO;
            case INFO:
                return Level.DEBUG;
            default:
                return Level.TRACE;
        }
    }
}
