package org.jctdb.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One line of the nodes file. A deleted node (a {@code #} line) keeps its PNN so that the
 * nodes after it keep theirs; it has no address.
 */
public record NodeEntry(int pnn, Optional<InetAddress> address) {
    public boolean deleted() {
        return address.isEmpty();
    }

    /** The address as CTDB prints it; deleted nodes show as 0.0.0.0. */
    public String addressText() {
        return address.map(IpAddresses::format).orElse("0.0.0.0");
    }
}
