package org.jctdb.ip;

/**
 * Where an address lives: a node and the interface it is (to be) configured on there.
 *
 * @param pnn   hosting node, or -1 for nowhere
 * @param iface interface name, or null when not known or not hosted
 */
public record Hosting(int pnn, String iface) {

    public static final Hosting NOWHERE = new Hosting(-1, null);

    public boolean hosted() {
        return pnn >= 0;
    }
}
