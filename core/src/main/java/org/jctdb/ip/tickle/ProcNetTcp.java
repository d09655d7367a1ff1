package org.jctdb.ip.tickle;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's TCP socket table ({@code /proc/net/tcp} and {@code tcp6}): the established
 * connections, each as a {@link TickleConnection} with the remote end as {@code src} and the
 * local end as {@code dst}. A line that does not parse is an error naming the source and line.
 */
public final class ProcNetTcp {
    private static final String ESTABLISHED = "01";

    private ProcNetTcp() {}

    public static List<TickleConnection> established(String source, String text) {
        List<TickleConnection> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) { // line 0 is the header
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 4) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": too few fields");
            }
            if (!f[3].equals(ESTABLISHED)) {
                continue;
            }
            try {
                TcpEndpoint local = endpoint(f[1]);
                TcpEndpoint remote = endpoint(f[2]);
                if (local.ipv6() == remote.ipv6()) {
                    out.add(new TickleConnection(remote, local));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * ADDR:PORT in hex: IPv4 as one 32-bit word, IPv6 as four, each in host (little-endian)
     * byte order; the port in network order. An IPv4-mapped IPv6 address becomes IPv4.
     */
    static TcpEndpoint endpoint(String hex) {
        int colon = hex.indexOf(':');
        if (colon < 0 || (colon != 8 && colon != 32)) {
            throw new IllegalArgumentException("bad address " + hex);
        }
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        byte[] b = new byte[colon / 2];
        for (int w = 0; w < b.length / 4; w++) {
            long word = Long.parseLong(hex.substring(w * 8, w * 8 + 8), 16);
            for (int k = 0; k < 4; k++) {
                b[w * 4 + k] = (byte) (word >>> (8 * k)); // little-endian word
            }
        }
        if (b.length == 16 && isV4Mapped(b)) {
            return new TcpEndpoint(dotted(b, 12), port);
        }
        return new TcpEndpoint(b.length == 4 ? dotted(b, 0) : colons(b), port);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static String dotted(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    private static String colons(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Integer.toHexString((b[i] & 0xff) << 8 | (b[i + 1] & 0xff)));
        }
        return s.toString(); // TcpEndpoint canonicalises it
    }
}
