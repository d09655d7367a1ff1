package org.jctdb.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jctdb.config.PublicAddress;

/** What the IP commands may ask of the daemon's IP failover. */
public interface IpControl {
    IpSnapshot snapshot();

    /** Leader only: run a takeover (and ipreallocated everywhere) soon. */
    CompletableFuture<Void> requestRun();

    /** Leader only: move {@code ip} to node {@code pnn} in the next run. */
    CompletableFuture<Void> requestMove(String ip, int pnn);

    /** addip: this node may host the address from now on (until reloadips). */
    CompletableFuture<Void> addAddress(String ip, int maskBits, List<String> ifaces);

    /** delip: this node no longer lists the address; it is released here if hosted. */
    CompletableFuture<Void> deleteAddress(String ip);

    /** reloadips: the public_addresses file was re-read. */
    CompletableFuture<Void> reload(List<PublicAddress> addresses);

    /** gratarp: one gratuitous ARP request and reply for {@code ip} on {@code iface}; "" or what failed. */
    CompletableFuture<String> gratarp(String ip, String iface);

    /** setifacelink: an interface's link state as the monitor event sees it. */
    CompletableFuture<Void> setLink(String iface, boolean up);
}
