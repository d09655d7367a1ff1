package org.jctdb.ip;

/** An address configured on one of this node's interfaces by a takeip event. */
public record HostedAddress(String ip, int maskBits, String iface) {
    public String withMask() {
        return ip + "/" + maskBits;
    }
}
