package org.jctdb.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jctdb.lock.LockSpec;

/**
 * Turns ctdb.conf into a {@link CtdbConf}, refusing unknown sections and options and bad
 * values with an error that names the line, as ctdb-config does.
 */
public final class CtdbConfReader {
    /** JCTDB's own section: the cluster filesystem probe (see docs/design/health.md). */
    private static final Set<String> HEALTH_KEYS =
            Set.of("extra paths", "probe command", "hung storage action", "hung storage timeout");

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "health", HEALTH_KEYS,
            "logging", Set.of("location", "log level"),
            "cluster",
                    Set.of(
                            "cluster lock",
                            "recovery lock",
                            "leader capability",
                            "leader timeout",
                            "node address",
                            "transport",
                            "port",
                            "ctdbd socket",
                            "authentication"),
            "database",
                    Set.of(
                            "volatile database directory",
                            "persistent database directory",
                            "state database directory",
                            "tdb mutexes",
                            "lock debug script"),
            "event", Set.of("debug script"),
            "failover", Set.of("disabled"),
            "metrics", Set.of("listen"),
            "legacy",
                    Set.of(
                            "start as stopped",
                            "ctdb start as stopped",
                            "start as disabled",
                            "realtime scheduling",
                            "lmaster capability",
                            "script log level"));

    private CtdbConfReader() {}

    /** Reads {@code file}; a missing file gives the defaults, as with CTDB. */
    public static CtdbConf read(Path file, String defaultLogLocation) throws ConfigException {
        if (!Files.exists(file)) {
            return CtdbConf.defaults(defaultLogLocation);
        }
        return parse(IniFile.read(file), defaultLogLocation);
    }

    public static CtdbConf parse(IniFile ini, String defaultLogLocation) throws ConfigException {
        List<String> warnings = new ArrayList<>();
        for (var section : ini.sections().entrySet()) {
            Set<String> keys = KNOWN.get(section.getKey());
            if (keys == null) {
                int line = section.getValue().values().stream()
                        .mapToInt(IniFile.Entry::line)
                        .min()
                        .orElse(0);
                throw new ConfigException(ini.name(), line, "unknown section [" + section.getKey() + "]");
            }
            for (IniFile.Entry e : section.getValue().values()) {
                if (!keys.contains(e.key())) {
                    throw new ConfigException(
                            ini.name(),
                            e.line(),
                            "unknown option \"" + e.key() + "\" in section [" + section.getKey() + "]");
                }
            }
        }
        Values v = new Values(ini);
        String location = v.string("logging", "location").orElse(defaultLogLocation);
        validateLocation(ini, location);
        LogLevel logLevel = v.level("logging", "log level", LogLevel.NOTICE);

        Optional<String> lock = v.string("cluster", "cluster lock");
        Optional<IniFile.Entry> legacyLock = v.entry("cluster", "recovery lock");
        if (legacyLock.isPresent()) {
            if (lock.isPresent()) {
                throw new ConfigException(
                        ini.name(),
                        legacyLock.get().line(),
                        "both \"cluster lock\" and the deprecated \"recovery lock\" are set; keep \"cluster lock\"");
            }
            warnings.add(ini.name() + ":" + legacyLock.get().line()
                    + ": \"recovery lock\" is deprecated, use \"cluster lock\"");
            lock = Optional.of(legacyLock.get().value());
        }
        lock = lock.filter(s -> !s.isEmpty());
        if (lock.isPresent()) {
            try {
                LockSpec.parse(lock.get());
            } catch (IllegalArgumentException e) {
                int line = v.entry("cluster", "cluster lock")
                        .or(() -> legacyLock)
                        .map(IniFile.Entry::line)
                        .orElse(0);
                throw new ConfigException(ini.name(), line, e.getMessage());
            }
        }
        String transport = v.string("cluster", "transport").orElse("tcp");
        if (!transport.equals("tcp")) {
            throw new ConfigException(
                    ini.name(),
                    v.entry("cluster", "transport").get().line(),
                    "transport \"" + transport + "\" is not supported (only tcp)");
        }
        int leaderTimeout = v.integer("cluster", "leader timeout", 5, 1, 3600);
        int port = v.integer("cluster", "port", CtdbConf.DEFAULT_PORT, 1, 65535);
        Optional<InetAddress> nodeAddress = Optional.empty();
        Optional<IniFile.Entry> na = v.entry("cluster", "node address");
        if (na.isPresent()) {
            nodeAddress = Optional.of(IpAddresses.parse(na.get().value())
                    .orElseThrow(() -> new ConfigException(
                            ini.name(),
                            na.get().line(),
                            "node address \"" + na.get().value() + "\" is not an IP address")));
        }
        boolean authentication = true;
        Optional<IniFile.Entry> auth = v.entry("cluster", "authentication");
        if (auth.isPresent()) {
            switch (auth.get().value().toLowerCase(Locale.ROOT)) {
                case "key":
                    break;
                case "none":
                    authentication = false;
                    break;
                default:
                    throw new ConfigException(
                            ini.name(),
                            auth.get().line(),
                            "\"authentication\" must be key or none, not \""
                                    + auth.get().value() + "\"");
            }
        }
        MetricsConf.parse(ini); // checked here so that `jctdb config validate` reports it too
        boolean stopped =
                v.bool("legacy", "start as stopped", false) || v.bool("legacy", "ctdb start as stopped", false);
        v.bool("legacy", "realtime scheduling", true);
        v.bool("legacy", "lmaster capability", true);
        v.bool("database", "tdb mutexes", true);
        return new CtdbConf(
                location,
                logLevel,
                lock,
                v.bool("cluster", "leader capability", true),
                leaderTimeout,
                nodeAddress,
                port,
                v.string("event", "debug script").filter(s -> !s.isEmpty()),
                v.bool("failover", "disabled", false),
                stopped,
                v.bool("legacy", "start as disabled", false),
                v.level("legacy", "script log level", LogLevel.ERROR),
                List.copyOf(warnings),
                health(ini, v),
                database(ini, v),
                authentication);
    }

    private static DatabaseConf database(IniFile ini, Values v) throws ConfigException {
        return new DatabaseConf(
                absolutePath(ini, v, "database", "volatile database directory"),
                absolutePath(ini, v, "database", "persistent database directory"),
                absolutePath(ini, v, "database", "state database directory"),
                absolutePath(ini, v, "cluster", "ctdbd socket"));
    }

    private static Optional<Path> absolutePath(IniFile ini, Values v, String section, String key)
            throws ConfigException {
        Optional<IniFile.Entry> e = v.entry(section, key).filter(x -> !x.value().isBlank());
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (!e.get().value().startsWith("/")) {
            throw new ConfigException(ini.name(), e.get().line(), "\"" + key + "\" must be an absolute path");
        }
        return Optional.of(Path.of(e.get().value().strip()));
    }

    private static HealthConf health(IniFile ini, Values v) throws ConfigException {
        List<String> extra = new ArrayList<>();
        Optional<IniFile.Entry> paths = v.entry("health", "extra paths");
        if (paths.isPresent()) {
            for (String p : paths.get().value().split(",")) {
                String path = p.strip();
                if (path.isEmpty()) {
                    continue;
                }
                if (!path.startsWith("/")) {
                    throw new ConfigException(
                            ini.name(), paths.get().line(), "extra path \"" + path + "\" must be absolute");
                }
                extra.add(path);
            }
        }
        List<String> command = List.of();
        Optional<IniFile.Entry> cmd = v.entry("health", "probe command");
        if (cmd.isPresent() && !cmd.get().value().isBlank()) {
            command = List.of(cmd.get().value().strip().split("\\s+"));
            if (!command.get(0).startsWith("/")) {
                // A PATH search could stat directories on the very storage being probed.
                throw new ConfigException(
                        ini.name(),
                        cmd.get().line(),
                        "probe command \"" + command.get(0) + "\" must be an absolute path");
            }
        }
        boolean shutdown = false;
        Optional<IniFile.Entry> action = v.entry("health", "hung storage action");
        if (action.isPresent()) {
            switch (action.get().value().toLowerCase(Locale.ROOT)) {
                case "none":
                    break;
                case "shutdown":
                    shutdown = true;
                    break;
                default:
                    throw new ConfigException(
                            ini.name(),
                            action.get().line(),
                            "\"hung storage action\" must be none or shutdown, not \""
                                    + action.get().value() + "\"");
            }
        }
        int timeout = v.integer("health", "hung storage timeout", HealthConf.DEFAULT_HUNG_TIMEOUT_SECONDS, 1, 86400);
        return new HealthConf(extra, command, shutdown, timeout);
    }

    private static void validateLocation(IniFile ini, String location) throws ConfigException {
        if (location.equals("stderr") || location.equals("syslog") || location.startsWith("syslog:")) {
            return;
        }
        if (location.startsWith("file:") && location.length() > 5) {
            return;
        }
        int line = ini.sections()
                .getOrDefault("logging", Map.of())
                .getOrDefault("location", new IniFile.Entry("location", location, 0))
                .line();
        throw new ConfigException(
                ini.name(), line, "log location \"" + location + "\" must be file:PATH, syslog or stderr");
    }

    /** Typed access to the entries, each error naming the entry's line. */
    private static final class Values {
        private final IniFile ini;

        Values(IniFile ini) {
            this.ini = ini;
        }

        Optional<IniFile.Entry> entry(String section, String key) {
            return Optional.ofNullable(
                    ini.sections().getOrDefault(section, Map.of()).get(key));
        }

        Optional<String> string(String section, String key) {
            return entry(section, key).map(IniFile.Entry::value);
        }

        boolean bool(String section, String key, boolean dflt) throws ConfigException {
            Optional<IniFile.Entry> e = entry(section, key);
            if (e.isEmpty()) {
                return dflt;
            }
            switch (e.get().value().toLowerCase(Locale.ROOT)) {
                case "true":
                case "yes":
                case "on":
                case "1":
                    return true;
                case "false":
                case "no":
                case "off":
                case "0":
                    return false;
                default:
                    throw new ConfigException(
                            ini.name(),
                            e.get().line(),
                            "\"" + key + "\" must be true or false, not \""
                                    + e.get().value() + "\"");
            }
        }

        int integer(String section, String key, int dflt, int min, int max) throws ConfigException {
            Optional<IniFile.Entry> e = entry(section, key);
            if (e.isEmpty()) {
                return dflt;
            }
            try {
                int value = Integer.parseInt(e.get().value());
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException ex) {
                throw new ConfigException(
                        ini.name(),
                        e.get().line(),
                        "\"" + key + "\" must be a whole number from " + min + " to " + max + ", not \""
                                + e.get().value() + "\"");
            }
        }

        LogLevel level(String section, String key, LogLevel dflt) throws ConfigException {
            Optional<IniFile.Entry> e = entry(section, key);
            if (e.isEmpty()) {
                return dflt;
            }
            try {
                return LogLevel.parse(e.get().value());
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(
                        ini.name(),
                        e.get().line(),
                        "\"" + key + "\" must be one of ERROR, WARNING, NOTICE, INFO, DEBUG, not \""
                                + e.get().value() + "\"");
            }
        }
    }
}
