package org.jctdb.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * JCTDB's own {@code [metrics]} section of ctdb.conf: {@code listen = ADDR:PORT} switches on the
 * Prometheus endpoint (docs/metrics.md); without it there is none. IPv6 as {@code [ADDR]:PORT}.
 */
public record MetricsConf(Optional<InetSocketAddress> listen) {
    public static final MetricsConf OFF = new MetricsConf(Optional.empty());

    public static MetricsConf read(Path ctdbConf) throws ConfigException {
        return Files.exists(ctdbConf) ? parse(IniFile.read(ctdbConf)) : OFF;
    }

    public static MetricsConf parse(IniFile ini) throws ConfigException {
        IniFile.Entry e =
                ini.sections().getOrDefault("metrics", java.util.Map.of()).get("listen");
        if (e == null || e.value().isBlank()) {
            return OFF;
        }
        return new MetricsConf(Optional.of(address(ini.name(), e)));
    }

    private static InetSocketAddress address(String file, IniFile.Entry e) throws ConfigException {
        String v = e.value().strip();
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Optional<InetAddress> address = IpAddresses.parse(host);
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(v.substring(colon + 1)) : -1;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (address.isEmpty() || port < 1 || port > 65535) {
            throw new ConfigException(
                    file, e.line(), "[metrics] listen must be ADDRESS:PORT (e.g. 127.0.0.1:9465), not \"" + v + "\"");
        }
        return new InetSocketAddress(address.get(), port);
    }
}
