package org.jctdb.control;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpMessage;

/**
 * This node's IP state for commands.
 *
 * @param listed     this node's public addresses (public_addresses plus addip)
 * @param hosted     addresses configured here now
 * @param assignment the leader's latest address-to-node map (-1: nowhere)
 * @param downIfaces interfaces marked down with setifacelink
 * @param leading    this node runs the takeovers
 */
public record IpSnapshot(
        int pnn,
        List<IpMessage.Listed> listed,
        List<HostedAddress> hosted,
        Map<String, Integer> assignment,
        Set<String> downIfaces,
        boolean leading) {
    /** The node an address is on: here if hosted here, else the leader's word, else -1. */
    public int pnnOf(String ip) {
        for (HostedAddress a : hosted) {
            if (a.ip().equals(ip)) {
                return pnn;
            }
        }
        Integer p = assignment.get(ip);
        return p == null ? -1 : p;
    }
}
