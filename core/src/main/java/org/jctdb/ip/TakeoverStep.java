package org.jctdb.ip;

/** One action of a takeover run, addressed to one node. */
public sealed interface TakeoverStep permits TakeoverStep.Release, TakeoverStep.Take, TakeoverStep.UpdateIp {

    IpAddress address();

    int pnn();

    /** Node pnn must drop the address (releaseip event) from iface (null if unknown). */
    record Release(IpAddress address, int pnn, String iface) implements TakeoverStep {}

    /** Node pnn must configure the address (takeip event) on iface (null: node chooses). */
    record Take(IpAddress address, int pnn, String iface) implements TakeoverStep {}

    /** The address stays on node pnn but moves between interfaces (updateip event). */
    record UpdateIp(IpAddress address, int pnn, String oldIface, String newIface) implements TakeoverStep {}
}
