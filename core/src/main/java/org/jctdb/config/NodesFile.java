package org.jctdb.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CTDB's nodes file: one private address per line, the PNN being the position among
 * non-blank lines; a line starting with {@code #} is a deleted node that keeps its PNN.
 */
public record NodesFile(List<NodeEntry> nodes) {

    public static NodesFile read(Path file) throws ConfigException {
        return parse(file.toString(), TextLines.read(file));
    }

    public static NodesFile parse(String name, List<String> lines) throws ConfigException {
        List<NodeEntry> nodes = new ArrayList<>();
        Map<InetAddress, Integer> seenAt = new HashMap<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int pnn = nodes.size();
            if (line.startsWith("#")) {
                nodes.add(new NodeEntry(pnn, Optional.empty()));
                continue;
            }
            if (line.indexOf(' ') >= 0 || line.indexOf('\t') >= 0) {
                throw new ConfigException(name, lineNo, "expected one node address, found \"" + line + "\"");
            }
            final int at = lineNo;
            InetAddress address = IpAddresses.parse(line)
                    .orElseThrow(() -> new ConfigException(name, at, "\"" + line + "\" is not an IP address"));
            Integer previous = seenAt.put(address, lineNo);
            if (previous != null) {
                throw new ConfigException(
                        name,
                        lineNo,
                        "duplicate node address " + IpAddresses.format(address) + " (also on line " + previous + ")");
            }
            nodes.add(new NodeEntry(pnn, Optional.of(address)));
        }
        if (seenAt.isEmpty()) {
            throw new ConfigException(name, 0, "no nodes are listed");
        }
        return new NodesFile(List.copyOf(nodes));
    }

    public int size() {
        return nodes.size();
    }

    public NodeEntry node(int pnn) {
        return nodes.get(pnn);
    }

    /** The PNN of the live (not deleted) node with this address. */
    public Optional<Integer> pnnOf(InetAddress address) {
        return nodes.stream()
                .filter(n -> n.address().filter(address::equals).isPresent())
                .map(NodeEntry::pnn)
                .findFirst();
    }

    /**
     * A short fingerprint of the node list: nodes exchange it when they connect, so a node
     * started with a different nodes file is refused instead of joining a different cluster.
     */
    public String clusterId() {
        StringBuilder canonical = new StringBuilder();
        for (NodeEntry n : nodes) {
            canonical.append(n.deleted() ? "#" : n.addressText()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
