package org.jctdb.ip.tickle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tickle lists of one node: per public address, the client connections known to it.
 *
 * <p>On the node hosting an address a connection is known from a registration (smbd's
 * TCP_CLIENT, {@code addtickle}) or because the kernel's socket table shows it established (a
 * JCTDB addition: CTDB learns only from registrations and from 60.nfs's own scan). A registered
 * connection the kernel showed and no longer shows is closed and forgotten. On other nodes the
 * list is the host's, replaced whole by each list it sends. Not thread-safe: one owner thread.
 */
public final class TickleTable {
    /** What applying a peer's list did. */
    public enum PeerOutcome {
        REPLACED,
        /** This node hosts the address: its own list wins (as CTDB, which ignores such a list). */
        IGNORED_HOSTED_HERE
    }

    private static final class Entry {
        final Set<TickleConnection> registered = new HashSet<>();
        final Set<TickleConnection> observed = new HashSet<>();
        final Set<TickleConnection> fromPeer = new HashSet<>();
        boolean dirty;

        // Hash lookups: smbd registers every client connection, so this runs per connection.
        boolean knows(TickleConnection c) {
            return registered.contains(c) || observed.contains(c) || fromPeer.contains(c);
        }

        Set<TickleConnection> all() {
            Set<TickleConnection> s = new TreeSet<>(registered);
            s.addAll(observed);
            s.addAll(fromPeer);
            return s;
        }
    }

    private final int me;
    private final Map<String, Entry> byIp = new HashMap<>();

    public TickleTable(int me) {
        this.me = me;
    }

    /** Registers a connection (TCP_CLIENT, TCP_ADD, addtickle); false if already known. */
    public boolean add(TickleConnection c) {
        Entry e = entry(c.dst().ip());
        if (e.knows(c)) {
            return false;
        }
        e.registered.add(c);
        e.dirty = true;
        return true;
    }

    /** Forgets a connection (TCP_REMOVE, deltickle); false if it was not known. */
    public boolean remove(TickleConnection c) {
        Entry e = byIp.get(c.dst().ip());
        if (e == null) {
            return false;
        }
        boolean removed = e.registered.remove(c) | e.observed.remove(c) | e.fromPeer.remove(c);
        e.dirty |= removed;
        return removed;
    }

    /**
     * The kernel's established connections whose local end is one of {@code hosted} (this node's
     * public addresses). Registered connections seen before and gone now are closed: forgotten.
     */
    public void observe(Set<String> hosted, Collection<TickleConnection> established) {
        Map<String, Set<TickleConnection>> now = new HashMap<>();
        for (String ip : hosted) {
            now.put(ip, new HashSet<>());
        }
        for (TickleConnection c : established) {
            Set<TickleConnection> s = now.get(c.dst().ip());
            if (s != null) {
                s.add(c);
            }
        }
        for (Map.Entry<String, Set<TickleConnection>> n : now.entrySet()) {
            Entry e = entry(n.getKey());
            Set<TickleConnection> gone = new HashSet<>(e.observed);
            gone.removeAll(n.getValue());
            if (!gone.isEmpty() || !e.observed.equals(n.getValue())) {
                e.registered.removeAll(gone);
                e.observed.clear();
                e.observed.addAll(n.getValue());
                e.dirty = true;
            }
            // Hosted here: a peer's older list for this address no longer counts.
            if (!e.fromPeer.isEmpty()) {
                e.fromPeer.clear();
                e.dirty = true;
            }
        }
    }

    /** The known connections to {@code ip}, those to {@code port} only unless it is 0; sorted. */
    public List<TickleConnection> list(String ip, int port) {
        Entry e = byIp.get(ip);
        List<TickleConnection> out = new ArrayList<>();
        if (e != null) {
            for (TickleConnection c : e.all()) {
                if (port == 0 || c.dst().port() == port) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * A peer's list for an address. {@code hostedHere}: this node hosts that address now.
     *
     * @throws IllegalArgumentException naming what is wrong with a list no host would send
     */
    public PeerOutcome fromPeer(TickleList l, boolean hostedHere) {
        if (l.from() == me) {
            throw new IllegalArgumentException("a tickle list claiming to come from this node (" + me + ")");
        }
        if (l.connections().size() > TickleList.MAX_CONNECTIONS) {
            throw new IllegalArgumentException(l.connections().size() + " connections for " + l.ip() + " (at most "
                    + TickleList.MAX_CONNECTIONS + ")");
        }
        for (TickleConnection c : l.connections()) {
            if (!c.dst().ip().equals(l.ip())) {
                throw new IllegalArgumentException("connection " + c + " is not to " + l.ip());
            }
        }
        if (hostedHere) {
            return PeerOutcome.IGNORED_HOSTED_HERE;
        }
        Entry e = entry(l.ip());
        e.registered.clear();
        e.observed.clear();
        e.fromPeer.clear();
        e.fromPeer.addAll(l.connections());
        e.dirty = false;
        return PeerOutcome.REPLACED;
    }

    /**
     * This node has just taken {@code ip}: the connections to tickle. The list is emptied (those
     * connections are reset by the tickle; the kernel scan finds the clients that reconnect) and
     * the empty list is sent to the other nodes with the next update, as CTDB does.
     */
    public List<TickleConnection> takeover(String ip) {
        List<TickleConnection> out = list(ip, 0);
        Entry e = entry(ip);
        e.registered.clear();
        e.observed.clear();
        e.fromPeer.clear();
        e.dirty = true;
        return out;
    }

    /**
     * The lists this node should send now: those of {@code hosted} addresses that changed since
     * the last call, or all of them when {@code everything} (CTDB's TickleUpdateInterval).
     */
    public List<TickleList> updates(Set<String> hosted, boolean everything) {
        List<TickleList> out = new ArrayList<>();
        for (String ip : new TreeSet<>(hosted)) {
            Entry e = entry(ip);
            if (e.dirty || everything) {
                List<TickleConnection> all = new ArrayList<>(e.all());
                out.add(new TickleList(me, ip, all.subList(0, Math.min(all.size(), TickleList.MAX_CONNECTIONS))));
                e.dirty = false;
            }
        }
        return out;
    }

    /** Addresses with an entry (for status output and tests). */
    public Set<String> addresses() {
        return new TreeSet<>(byIp.keySet());
    }

    private Entry entry(String ip) {
        return byIp.computeIfAbsent(ip, k -> new Entry());
    }
}
