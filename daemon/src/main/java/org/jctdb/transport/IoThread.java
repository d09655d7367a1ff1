package org.jctdb.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The daemon's one I/O thread, shared by the node mesh, the CTDB client socket, the database
 * work (org.jctdb.client.DatabaseWorker) and the daemon's core (org.jctdb.daemon.Daemon). A record
 * migration step then runs from the frame that asks for it to the frame that answers on one
 * thread, without handing work to another thread and waking it (each such hand-off measured
 * 20-30 µs on a busy 2-core machine), and so do a mesh message and the core's answer to it; ctdbd
 * is one event loop too. Work on it must not block: TDB locks are taken without waiting.
 */
public final class IoThread {
    private IoThread() {}

    /** One epoll event loop thread named {@code jctdb-io}; the caller shuts it down after its users. */
    public static EventLoopGroup create() {
        return new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("jctdb-io", true), EpollIoHandler.newFactory());
    }
}
