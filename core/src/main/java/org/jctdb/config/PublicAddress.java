package org.jctdb.config;

import java.net.InetAddress;
import java.util.List;

/** One line of public_addresses: an address, its mask length and the interfaces that may carry it. */
public record PublicAddress(InetAddress address, int maskBits, List<String> interfaces) {
    public PublicAddress {
        interfaces = List.copyOf(interfaces);
    }

    public String addressText() {
        return IpAddresses.format(address);
    }
}
