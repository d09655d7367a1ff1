package org.jctdb.ip;

/**
 * Parses and prints numeric addresses without touching the resolver. Java's InetAddress
 * would turn "::ffff:1.2.3.4" into an IPv4 address and prints IPv6 uncompressed, so CTDB's
 * (glibc inet_pton/inet_ntop) text forms are handled here.
 */
final class IpAddressText {

    private IpAddressText() {}

    static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (text.indexOf(':') >= 0) {
            int[] g = parseIpv6(text);
            return new IpAddress(
                    (g[0] << 16) | g[1], (g[2] << 16) | g[3], (g[4] << 16) | g[5], (g[6] << 16) | g[7], true);
        }
        return IpAddress.ipv4(parseIpv4(text, text));
    }

    private static int parseIpv4(String part, String whole) {
        String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            throw bad(whole);
        }
        int value = 0;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || (o.length() > 1 && o.charAt(0) == '0')) {
                throw bad(whole);
            }
            int n = 0;
            for (int i = 0; i < o.length(); i++) {
                char c = o.charAt(i);
                if (c < '0' || c > '9') {
                    throw bad(whole);
                }
                n = n * 10 + (c - '0');
            }
            if (n > 255) {
                throw bad(whole);
            }
            value = (value << 8) | n;
        }
        return value;
    }

    private static int[] parseIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw bad(text);
        }
        String head = gap >= 0 ? text.substring(0, gap) : text;
        String tail = gap >= 0 ? text.substring(gap + 2) : "";
        int[] headGroups = groups(head, text, gap < 0);
        int[] tailGroups = groups(tail, text, true);
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            throw bad(text);
        }
        int[] result = new int[8];
        System.arraycopy(headGroups, 0, result, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, result, 8 - tailGroups.length, tailGroups.length);
        return result;
    }

    /** Hex groups of one side of "::"; a dotted IPv4 may end the last side. */
    private static int[] groups(String side, String whole, boolean mayEndWithIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean v4 = mayEndWithIpv4 && parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (v4 && i == parts.length - 1) {
                int a = parseIpv4(p, whole);
                out[i] = a >>> 16;
                out[i + 1] = a & 0xffff;
                break;
            }
            if (p.isEmpty() || p.length() > 4) {
                throw bad(whole);
            }
            int n = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    throw bad(whole);
                }
                n = (n << 4) | d;
            }
            out[i] = n;
        }
        return out;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("bad address '" + text + "'");
    }

    static String format(IpAddress a) {
        if (!a.ipv6()) {
            return dotted(a.w3());
        }
        int[] w = new int[8];
        for (int i = 0; i < 4; i++) {
            w[2 * i] = a.word(i) >>> 16;
            w[2 * i + 1] = a.word(i) & 0xffff;
        }
        // Longest run (first on ties) of at least two zero groups becomes "::".
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            // glibc prints IPv4-compatible and IPv4-mapped addresses in dotted form.
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(dotted(a.w3()));
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    private static String dotted(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
}
