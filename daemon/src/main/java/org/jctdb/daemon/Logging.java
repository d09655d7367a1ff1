package org.jctdb.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import org.jctdb.config.LogLevel;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging from {@code [logging]} in code (no XML scanning at start-up): one line per
 * event in CTDB's style, {@code 2026/11/25 10:00:00.123456 jctdbd[PID]: component: message}.
 */
public final class Logging {
    private Logging() {
    }

    public static void configure(String location, LogLevel level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
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
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(map(level));
        // Netty's own chatter is of no use to an administrator below WARNING.
        ctx.getLogger("io.netty").setLevel(Level.WARN);
    }

    static Level map(LogLevel level) {
        switch (level) {
            case ERROR: return Level.ERROR;
            case WARNING: return Level.WARN;
            case NOTICE: return Level.INFO;
            case INFO: return Level.DEBUG;
            default: return Level.TRACE;
        }
    }
}
