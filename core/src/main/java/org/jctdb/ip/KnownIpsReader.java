package org.jctdb.ip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads CTDB's IP-allocation test input: one address per line, {@code IP [CURRENT_PNN
 * [ALLOWED_PNN,...]]}, separated by spaces or tabs; text from '#' on is a comment. An address
 * without an allowed list is listed by every node. Input ends at the first empty line.
 *
 * <p>In "multi" mode there is one block per node, separated by empty lines, giving that
 * node's own view (no allowed lists); a node's claim to host an address counts only for
 * itself, and a later node's claim wins, as in CTDB's merge.
 */
public final class KnownIpsReader {

    private KnownIpsReader() {}

    public static List<PublicAddress> read(List<String> lines, int numNodes, boolean multi)
            throws IpallocInputException {
        Map<IpAddress, Entry> entries = new LinkedHashMap<>();
        int lineNo = 0;
        int blocks = multi ? numNodes : 1;
        for (int node = 0; node < blocks; node++) {
            Set<IpAddress> inBlock = new TreeSet<>();
            while (lineNo < lines.size()) {
                String line = lines.get(lineNo++);
                if (line.isEmpty()) {
                    break;
                }
                parseLine(line, lineNo, numNodes, multi ? node : -1, inBlock, entries);
            }
        }
        List<PublicAddress> out = new ArrayList<>();
        for (Map.Entry<IpAddress, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            out.add(PublicAddress.of(e.getKey(), v.pnn, v.knownOn));
        }
        return out;
    }

    private static final class Entry {
        int pnn = -1;
        final Set<Integer> knownOn = new TreeSet<>();
    }

    private static void parseLine(
            String raw, int lineNo, int numNodes, int multiNode, Set<IpAddress> inBlock, Map<IpAddress, Entry> entries)
            throws IpallocInputException {
        int hash = raw.indexOf('#');
        String line = hash >= 0 ? raw.substring(0, hash) : raw;
        String[] tok = line.trim().split("[ \t]+");
        if (tok.length == 0 || tok[0].isEmpty()) {
            throw new IpallocInputException("line " + lineNo + ": no address in '" + raw + "'");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(tok[0]);
        } catch (IllegalArgumentException e) {
            throw new IpallocInputException("line " + lineNo + ": " + e.getMessage());
        }
        if (!inBlock.add(address)) {
            throw new IpallocInputException("line " + lineNo + ": duplicate address " + address);
        }
        int pnn = tok.length > 1 ? parseInt(tok[1], lineNo, "current PNN") : -1;
        if (tok.length > 3) {
            throw new IpallocInputException("line " + lineNo + ": unexpected '" + tok[3] + "'");
        }
        Entry entry = entries.computeIfAbsent(address, a -> new Entry());
        if (multiNode >= 0) {
            if (tok.length > 2) {
                throw new IpallocInputException("line " + lineNo + ": allowed node list not permitted in multi mode");
            }
            entry.knownOn.add(multiNode);
            if (pnn == multiNode) {
                entry.pnn = pnn;
            }
            return;
        }
        entry.pnn = pnn;
        if (tok.length == 2 || tok.length == 1) {
            for (int n = 0; n < numNodes; n++) {
                entry.knownOn.add(n);
            }
            return;
        }
        for (String t : tok[2].split(",")) {
            if (t.isEmpty()) {
                continue;
            }
            int n = parseInt(t, lineNo, "allowed PNN");
            if (n < 0 || n >= numNodes) {
                throw new IpallocInputException(
                        "line " + lineNo + ": allowed PNN " + n + " out of range (" + numNodes + " nodes)");
            }
            entry.knownOn.add(n);
        }
    }

    private static int parseInt(String s, int lineNo, String what) throws IpallocInputException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IpallocInputException("line " + lineNo + ": bad " + what + " '" + s + "'");
        }
    }
}
