package org.jctdb.ip;

/** What the pure IP failover logic asks its shell to do. */
public sealed interface IpEffect {

    /** Deliver a message to node {@code to} (possibly this node itself). */
    record Send(int to, IpMessage message) implements IpEffect {}

    record Log(Level level, String text) implements IpEffect {}

    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }
}
