package org.jctdb.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** Sends one command to a daemon over its control socket and waits, bounded, for the reply. */
public final class ControlClient {
    private ControlClient() {}

    /** Thrown when the daemon cannot be reached at all (not running, wrong socket). */
    public static final class NotRunningException extends IOException {
        public NotRunningException(Path socket, Throwable cause) {
            super("Failed to connect to JCTDB daemon (" + socket + ")" + reason(cause), cause);
        }

        /** No daemon gives CTDB's words alone; anything else (permission denied, ...) is named. */
        private static String reason(Throwable cause) {
            String m = cause == null ? null : cause.getMessage();
            if (m == null || m.contains("No such file") || m.contains("Connection refused")) {
                return "";
            }
            return ": " + m;
        }
    }

    /**
     * Closes the channel when the time is up. A named class, not a lambda: the first lambda of
     * a JVM costs milliseconds of method-handle set-up on the command's start-up path.
     */
    private static final class Watchdog extends Thread {
        private final SocketChannel channel;
        private final long timeoutMillis;

        Watchdog(SocketChannel channel, long timeoutMillis) {
            super("jctdb-timeout");
            this.channel = channel;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(timeoutMillis);
                channel.close();
            } catch (InterruptedException | IOException e) {
                // Reply arrived in time, or the channel is already closed.
            }
        }
    }

    public static ControlReply call(Path socket, List<String> argv, long timeoutMillis) throws IOException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            throw new NotRunningException(socket, e);
        }
        Thread watchdog = new Watchdog(channel, timeoutMillis);
        watchdog.setDaemon(true);
        watchdog.start();
        try (channel) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            try {
                ControlFrames.writeRequest(out, argv);
            } catch (IOException e) {
                // The daemon refused the request (too large) and closed: its reply says why.
                try {
                    return ControlFrames.readReply(in);
                } catch (IOException none) {
                    throw e;
                }
            }
            return ControlFrames.readReply(in);
        } catch (IOException e) {
            if (!watchdog.isAlive()) {
                throw new IOException(
                        "timed out after " + timeoutMillis + " ms waiting for the daemon (" + socket + ")", e);
            }
            throw new IOException("lost connection to the daemon (" + socket + "): " + e.getMessage(), e);
        } finally {
            watchdog.interrupt();
        }
    }
}
