package org.jctdb.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket against idle, slow, oversized and too many clients, over real Unix sockets. */
class ControlServerTest {
    @TempDir
    Path dir;

    private ControlServer echo() throws IOException {
        return new ControlServer(dir.resolve("s"), argv -> new ControlReply(0, String.join(" ", argv), ""));
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("s")));
    }

    @Test
    void twoHundredIdleClientsDoNotLockOthersOut() throws Exception {
        try (ControlServer s = echo()) {
            List<SocketChannel> idle = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                idle.add(connect());
            }
            long t0 = System.nanoTime();
            ControlReply r = ControlClient.call(dir.resolve("s"), List.of("pnn"), 2000);
            assertThat(r.stdout()).isEqualTo("pnn");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    @Test
    void aClientThatSaysNothingIsClosedAfterTheDeadline() throws Exception {
        try (ControlServer s = echo();
                SocketChannel c = connect()) {
            long t0 = System.nanoTime();
            int r = c.read(ByteBuffer.allocate(16));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(r).isEqualTo(-1);
            assertThat(ms).isBetween(ControlServer.REQUEST_DEADLINE_MS - 100, ControlServer.REQUEST_DEADLINE_MS + 1500);
        }
    }

    @Test
    void moreWaitingClientsThanTheCapEvictsTheOldest() throws Exception {
        try (ControlServer s = echo()) {
            SocketChannel first = connect();
            List<SocketChannel> more = new ArrayList<>();
            for (int i = 0; i < ControlServer.MAX_PENDING; i++) {
                more.add(connect());
            }
            assertThat(first.read(ByteBuffer.allocate(4))).isEqualTo(-1); // evicted, long before the deadline
            assertThat(ControlClient.call(dir.resolve("s"), List.of("ok"), 2000).stdout())
                    .isEqualTo("ok");
            for (SocketChannel c : more) {
                c.close();
            }
        }
    }

    @Test
    void anOversizedRequestIsRefusedWithAMessageBeforeItArrives() throws Exception {
        try (ControlServer s = echo();
                SocketChannel c = connect()) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            out.writeInt(ControlFrames.MAGIC);
            out.writeInt(700); // 700 x 64 KiB = 42 MiB announced
            out.writeInt(ControlFrames.MAX_ARG_BYTES);
            out.write(new byte[ControlFrames.MAX_ARG_BYTES]);
            try {
                for (int i = 0; i < 699; i++) {
                    out.writeInt(ControlFrames.MAX_ARG_BYTES);
                    out.write(new byte[ControlFrames.MAX_ARG_BYTES]);
                }
            } catch (IOException e) {
                // the daemon closed the connection: expected
            }
            ControlReply r = ControlFrames.readReply(new DataInputStream(Channels.newInputStream(c)));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("request larger than " + ControlServer.MAX_REQUEST_BYTES + " bytes");
        }
        try (ControlServer s = echo()) {
            assertThat(ControlClient.call(dir.resolve("s"), List.of("still", "here"), 2000)
                            .stdout())
                    .isEqualTo("still here");
        }
    }

    @Test
    void whenEveryWorkerIsBusyTheClientHearsSoAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ControlServer s = new ControlServer(dir.resolve("s"), argv -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ControlReply(0, "done", "");
        })) {
            List<Thread> blocked = new ArrayList<>();
            for (int i = 0; i < ControlServer.MAX_RUNNING; i++) {
                Thread t = new Thread(() -> {
                    try {
                        ControlClient.call(dir.resolve("s"), List.of("slow"), 30_000);
                    } catch (IOException e) {
                        // not the point
                    }
                });
                t.start();
                blocked.add(t);
            }
            Thread.sleep(500);
            long t0 = System.nanoTime();
            ControlReply busy = ControlClient.call(dir.resolve("s"), List.of("one more"), 5000);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
            assertThat(busy.exitCode()).isEqualTo(1);
            assertThat(busy.stderr()).contains("the daemon is busy");
            release.countDown();
            for (Thread t : blocked) {
                t.join(5000);
            }
        }
    }

    @Test
    void parseChecksEveryLengthAsSoonAsItIsSeen() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(ControlFrames.MAGIC).putInt(2).putInt(3).put("pnn".getBytes());
        assertThat(ControlServer.parse(b)).isNull();
        b.putInt(1).put((byte) 'x');
        assertThat(ControlServer.parse(b)).containsExactly("pnn", "x");
        ByteBuffer big =
                ByteBuffer.allocate(16).putInt(ControlFrames.MAGIC).putInt(1).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> ControlServer.parse(big)).hasMessageContaining("request larger than");
        ByteBuffer bad = ByteBuffer.allocate(8).putInt(0x47455420);
        assertThatThrownBy(() -> ControlServer.parse(bad)).hasMessageContaining("not a jctdb control request");
        ByteBuffer many = ByteBuffer.allocate(8).putInt(ControlFrames.MAGIC).putInt(100_000);
        assertThatThrownBy(() -> ControlServer.parse(many)).hasMessageContaining("too many arguments");
    }
}
