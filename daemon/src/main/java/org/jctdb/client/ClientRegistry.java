package org.jctdb.client;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected and which srvids each registered: REQ_MESSAGE delivery, PROCESS_EXISTS and
 * CHECK_PID_SRVID. Read from the socket's event loop, the database thread and the mesh.
 */
final class ClientRegistry {
    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();
    private final Map<Long, Set<ClientConnection>> bySrvid = new ConcurrentHashMap<>();

    void add(ClientConnection c) {
        clients.add(c);
    }

    void remove(ClientConnection c) {
        clients.remove(c);
        for (long srvid : c.srvids()) {
            deregister(c, srvid);
        }
    }

    int size() {
        return clients.size();
    }

    void register(ClientConnection c, long srvid) {
        c.srvids().add(srvid);
        bySrvid.computeIfAbsent(srvid, k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    /** False when {@code c} had not registered {@code srvid}. */
    boolean deregister(ClientConnection c, long srvid) {
        boolean had = c.srvids().remove(srvid);
        bySrvid.computeIfPresent(srvid, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
        return had;
    }

    List<ClientConnection> registered(long srvid) {
        Set<ClientConnection> s = bySrvid.get(srvid);
        return s == null ? List.of() : List.copyOf(s);
    }

    boolean pidConnected(int pid) {
        return pid > 0 && clients.stream().anyMatch(c -> c.pid() == pid && c.isOpen());
    }

    boolean pidRegistered(int pid, long srvid) {
        return pid > 0 && registered(srvid).stream().anyMatch(c -> c.pid() == pid);
    }
}
