package org.jctdb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jctdb.config.ClusterKeys;
import org.jctdb.config.ConfigException;
import org.jctdb.config.IniFile;
import org.jctdb.config.Layout;
import org.jctdb.config.NodeConfig;
import org.jctdb.control.TunableRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctdb config validate|get}: the configuration under $CTDB_BASE, like ctdb-config. */
@Command(
        name = "config",
        description = "Check the configuration or show one option (like ctdb-config).",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Get.class, ConfigCommand.GenKey.class})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Defaults of the options `config get` can show, as ctdb-config prints them. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("logging/location", "file:/var/log/jctdb/log.jctdb"),
            Map.entry("logging/log level", "NOTICE"),
            Map.entry("cluster/cluster lock", ""),
            Map.entry("cluster/recovery lock", ""),
            Map.entry("cluster/leader capability", "true"),
            Map.entry("cluster/leader timeout", "5"),
            Map.entry("cluster/node address", ""),
            Map.entry("cluster/transport", "tcp"),
            Map.entry("cluster/port", "4379"),
            Map.entry("cluster/authentication", "key"),
            Map.entry("database/volatile database directory", "/var/lib/jctdb/volatile"),
            Map.entry("database/persistent database directory", "/var/lib/jctdb/persistent"),
            Map.entry("database/state database directory", "/var/lib/jctdb/state"),
            Map.entry("database/tdb mutexes", "true"),
            Map.entry("database/lock debug script", ""),
            Map.entry("event/debug script", ""),
            Map.entry("failover/disabled", "false"),
            Map.entry("legacy/start as stopped", "false"),
            Map.entry("legacy/start as disabled", "false"),
            Map.entry("legacy/realtime scheduling", "true"),
            Map.entry("legacy/lmaster capability", "true"),
            Map.entry("legacy/script log level", "ERROR"));

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }

    @Command(name = "validate", description = "Check ctdb.conf, nodes, public_addresses and ctdb.tunables.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                NodeConfig c = NodeConfig.load(Layout.fromEnvironment());
                TunableRules.check(c); // the rules setvar and the daemon apply
                c.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
        }
    }

    @Command(
            name = "genkey",
            description = {
                "Create a new cluster key (mode 0600) for peer authentication.",
                "Without FILE it writes $CTDB_BASE/cluster.key and refuses to replace one; copy the file to every node.",
                "With --add the new key is appended to FILE (accepted, not yet offered): the first step of a rotation."
            })
    static final class GenKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "FILE",
                description = "Where to write the key ('-': print it).")
        String file;

        @picocli.CommandLine.Option(names = "--add", description = "Append a new key to an existing key file.")
        boolean add;

        @Override
        public Integer call() {
            String line = ClusterKeys.generateLine();
            if ("-".equals(file)) {
                spec.commandLine().getOut().println(line);
                return 0;
            }
            Path path = file == null ? Layout.fromEnvironment().clusterKey() : Path.of(file);
            try {
                if (add) {
                    ClusterKeys.read(path); // the file must exist and be sound first
                    String old = Files.readString(path);
                    ClusterKeys.write(
                            path, old + (old.endsWith("\n") || old.isEmpty() ? "" : "\n") + line + "\n", true);
                } else {
                    ClusterKeys.write(
                            path,
                            "# JCTDB cluster key: the same file on every node, mode 0600.\n" + line + "\n",
                            false);
                }
                spec.commandLine().getOut().println((add ? "added a key to " : "wrote ") + path);
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("cannot write " + path + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "get", description = "Show the value of one option of ctdb.conf (or its default).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SECTION")
        String section;

        @Parameters(index = "1", paramLabel = "OPTION")
        String option;

        @Override
        public Integer call() {
            String key = section.toLowerCase() + "/"
                    + option.strip().replaceAll("\\s+", " ").toLowerCase();
            if (!DEFAULTS.containsKey(key)) {
                spec.commandLine().getErr().println("Unknown option [" + section + "] -> " + option);
                return 2;
            }
            Layout layout = Layout.fromEnvironment();
            try {
                Optional<String> value = Optional.empty();
                if (Files.exists(layout.ctdbConf())) {
                    IniFile ini = IniFile.read(layout.ctdbConf());
                    value = Optional.ofNullable(ini.sections()
                                    .getOrDefault(section.toLowerCase(), Map.of())
                                    .get(key.substring(key.indexOf('/') + 1)))
                            .map(IniFile.Entry::value);
                }
                String dflt = key.equals("logging/location") ? layout.defaultLogLocation() : DEFAULTS.get(key);
                spec.commandLine().getOut().println(value.orElse(dflt));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
        }
    }
}
