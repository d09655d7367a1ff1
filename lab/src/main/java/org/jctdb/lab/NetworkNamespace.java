package org.jctdb.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A named network namespace ({@code ip netns add}) removed again on close. */
public final class NetworkNamespace implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Creates a namespace named prefix-PID-N, unique to this JVM. */
    public static NetworkNamespace create(String prefix) throws IOException {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        Commands.run(TIMEOUT, "ip", "netns", "add", name).requireOk();
        return new NetworkNamespace(name);
    }

    /** Why namespaces cannot be made here, if so (tests skip, or fail under CI=true). */
    public static Optional<String> unavailableReason() {
        try {
            NetworkNamespace probe = create("jctdb-probe");
            probe.close();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot create a network namespace: " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            Commands.run(TIMEOUT, "ip", "netns", "del", name);
        } catch (IOException e) {
            System.err.println("could not delete network namespace " + name + ": " + e.getMessage());
        }
    }
}
