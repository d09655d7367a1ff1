package org.jctdb.ip;

/** The node chosen to host an address, or -1 when no node can. */
public record Assignment(IpAddress address, int pnn) {

    public boolean assigned() {
        return pnn >= 0;
    }

    /** The "IP PNN" line CTDB's ipalloc test tool prints. */
    @Override
    public String toString() {
        return address + " " + pnn;
    }
}
