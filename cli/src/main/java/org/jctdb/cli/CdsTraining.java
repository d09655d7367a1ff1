package org.jctdb.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jctdb.config.Layout;
import org.jctdb.control.ControlFrames;
import org.jctdb.control.ControlReply;

/**
 * The training run for the jctdb command's class-data-sharing archive (run at package time).
 * It answers the command's request on a throw-away control socket, so that the archive holds
 * every class of the whole round trip (connect, request, reply, print), not only those of the
 * "daemon not running" path that a run without a daemon would record.
 * Usage: {@code CdsTraining DIR COMMAND...}; DIR becomes CTDB_BASE's stand-in and is removed.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CdsTraining DIR COMMAND...");
            System.exit(2);
        }
        // The real command reads its layout from the environment first; record those classes too.
        Layout.fromEnvironment();
        Path socket = Path.of(args[0]).toAbsolutePath().resolve("jctdbd.socket");
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread answer = new Answerer(server);
            answer.setDaemon(true);
            answer.start();
            int rc = Main.runAt(socket, command);
            answer.join(10_000);
            if (rc != 0) {
                System.err.println("CdsTraining: the training command exited with " + rc);
                System.exit(1);
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    /** Accepts one connection and answers like a daemon would for `pnn`. */
    private static final class Answerer extends Thread {
        private final ServerSocketChannel server;

        Answerer(ServerSocketChannel server) {
            super("cds-training");
            this.server = server;
        }

        @Override
        public void run() {
            try (SocketChannel c = server.accept()) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(c)));
                List<String> argv = ControlFrames.readRequest(in);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(c)));
                ControlFrames.writeReply(out, new ControlReply(0, argv.isEmpty() ? "" : "0\n", ""));
            } catch (IOException e) {
                System.err.println("CdsTraining: " + e.getMessage());
            }
        }
    }
}
