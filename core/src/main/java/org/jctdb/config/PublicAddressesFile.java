package org.jctdb.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CTDB's public_addresses file: {@code IP/MASKBITS IFACE[,IFACE...]} per line; blank lines
 * and {@code #} comments are ignored.
 */
public record PublicAddressesFile(List<PublicAddress> addresses) {
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    /** A missing file means the node hosts no public addresses. */
    public static PublicAddressesFile read(Path file) throws ConfigException {
        if (!Files.exists(file)) {
            return new PublicAddressesFile(List.of());
        }
        return parse(file.toString(), TextLines.read(file));
    }

    public static PublicAddressesFile parse(String name, List<String> lines) throws ConfigException {
        List<PublicAddress> out = new ArrayList<>();
        Map<InetAddress, Integer> seenAt = new HashMap<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new ConfigException(
                        name, lineNo, "expected \"IP/MASKBITS IFACE[,IFACE...]\", found \"" + line + "\"");
            }
            int slash = fields[0].indexOf('/');
            if (slash < 0) {
                throw new ConfigException(name, lineNo, "\"" + fields[0] + "\" has no /MASKBITS");
            }
            String ipText = fields[0].substring(0, slash);
            final int at = lineNo;
            InetAddress ip = IpAddresses.parse(ipText)
                    .orElseThrow(() -> new ConfigException(name, at, "\"" + ipText + "\" is not an IP address"));
            int maxBits = ip instanceof Inet4Address ? 32 : 128;
            int bits;
            try {
                bits = Integer.parseInt(fields[0].substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > maxBits) {
                throw new ConfigException(
                        name,
                        lineNo,
                        "mask \"" + fields[0].substring(slash + 1) + "\" must be a number from 0 to " + maxBits);
            }
            List<String> ifaces = List.of(fields[1].split(",", -1));
            for (String iface : ifaces) {
                if (!IFACE.matcher(iface).matches()) {
                    throw new ConfigException(name, lineNo, "\"" + iface + "\" is not an interface name");
                }
            }
            Integer previous = seenAt.put(ip, lineNo);
            if (previous != null) {
                throw new ConfigException(
                        name,
                        lineNo,
                        "duplicate public address " + IpAddresses.format(ip) + " (also on line " + previous + ")");
            }
            out.add(new PublicAddress(ip, bits, ifaces));
        }
        return new PublicAddressesFile(List.copyOf(out));
    }
}
