package org.jctdb.client;

import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.IpSnapshot;
import org.jctdb.ip.RunState;
import org.jctdb.mesh.WireMessage;

/** A running node's host for tests of the client service: default tunables, may lead, no addresses. */
final class StubHost implements CtdbService.Host {
    private final Supplier<ClusterView> view;
    private final BiPredicate<Integer, WireMessage> send;

    /** {@code view}: read at every call; {@code send}: what a message to a peer does and whether it went. */
    StubHost(Supplier<ClusterView> view, BiPredicate<Integer, WireMessage> send) {
        this.view = view;
        this.send = send;
    }

    @Override
    public ClusterView view() {
        return view.get();
    }

    @Override
    public Tunables tunables() {
        return Tunables.defaults();
    }

    @Override
    public boolean leaderRole() {
        return true;
    }

    @Override
    public RunState runState() {
        return RunState.RUNNING;
    }

    @Override
    public Optional<IpSnapshot> ips() {
        return Optional.empty();
    }

    @Override
    public boolean send(int pnn, WireMessage message) {
        return send.test(pnn, message);
    }

    @Override
    public void requestRecovery(String reason) {}
}
