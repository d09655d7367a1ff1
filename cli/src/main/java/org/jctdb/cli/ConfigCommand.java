package org.jctdb.cli;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jctdb.config.ConfigException;
import org.jctdb.config.IniFile;
import org.jctdb.config.Layout;
import org.jctdb.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctdb config validate|get}: the configuration under $CTDB_BASE, like ctdb-config. */
@Command(name = "config", description = "Check the configuration or show one option (like ctdb-config).",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Get.class})
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
                c.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
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
            String key = section.toLowerCase() + "/" + option.strip().replaceAll("\\s+", " ").toLowerCase();
            if (!DEFAULTS.containsKey(key)) {
                spec.commandLine().getErr().println("Unknown option [" + section + "] -> " + option);
                return 2;
            }
            Layout layout = Layout.fromEnvironment();
            try {
                Optional<String> value = Optional.empty();
                if (java.nio.file.Files.exists(layout.ctdbConf())) {
                    IniFile ini = IniFile.read(layout.ctdbConf());
                    value = Optional.ofNullable(ini.sections().getOrDefault(section.toLowerCase(), Map.of())
                            .get(key.substring(key.indexOf('/') + 1))).map(IniFile.Entry::value);
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
