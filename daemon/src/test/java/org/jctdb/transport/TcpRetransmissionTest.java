package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The options really land on a connected socket (read back from the kernel). */
class TcpRetransmissionTest {
    private static final IntegerUnixChannelOption THIN = new IntegerUnixChannelOption("thin", 6, 16);
    private static final IntegerUnixChannelOption RTO_MAX = new IntegerUnixChannelOption("rto max", 6, 44);

    @Test
    void aConnectedSocketGetsLinearTimeoutsAndTheCapWhereTheKernelHasIt() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            EpollSocketChannel client = (EpollSocketChannel) new Bootstrap()
                    .group(group)
                    .channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress())
                    .sync()
                    .channel();
            assertThat(client.config().getOption(THIN)).isZero(); // Linux's default, so the test can fail
            new TcpRetransmission().shorten(client);
            assertThat(client.config().getOption(THIN)).isEqualTo(1);
            if (kernelAtLeast(6, 15)) {
                assertThat(client.config().getOption(RTO_MAX)).isEqualTo(TcpRetransmission.MAX_TIMEOUT_MILLIS);
            }
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(v[0]);
        return ma > major || (ma == major && Integer.parseInt(v[1]) >= minor);
    }
}
