package org.jctdb.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-arms the kernel lifetime of an IPv4 address through rtnetlink (RTM_NEWADDR with NLM_F_REPLACE),
 * from the thread that decided it may, right after it checked. For IPv4 the kernel also creates an
 * address that is gone: a refresh written to a pipe before the node was stopped and read after it
 * resumed would bring back an address whose hold had lapsed, and that another node now hosts.
 * Sending here closes that window to the few microseconds between the check and the system call.
 */
public final class AddressLifetimes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int MSG_DONTWAIT = 0x40;
    private static final short RTM_NEWADDR = 20;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_REPLACE = 0x100;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_CACHEINFO = 6;
    private static final byte AF_INET = 2;
    /** nlmsghdr 16 + ifaddrmsg 8 + two 4-byte addresses 2*8 + ifa_cacheinfo 4+16. */
    private static final int MESSAGE_BYTES = 60;

    private static final boolean LOADED = load();

    private final int fd;
    private final byte[] kernel = sockaddrNl();
    private final byte[] acks = new byte[8192];
    private int seq;

    private AddressLifetimes(int fd) {
        this.fd = fd;
    }

    private static boolean load() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(AddressLifetimes.class, Platform.C_LIBRARY_NAME);
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("libc through JNA is not available ({}); address lifetimes are refreshed by `ip`", e.toString());
            return false;
        }
    }

    /** An rtnetlink socket of this process's network namespace, or empty (then callers use `ip`). */
    public static Optional<AddressLifetimes> open() {
        if (!LOADED) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AddressLifetimes(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)));
        } catch (LastErrorException e) {
            log.warn("cannot open an rtnetlink socket ({}); address lifetimes are refreshed by `ip`", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Sets the lifetime of {@code address/prefix} on {@code iface} to {@code seconds}, if {@code holding}
     * still says yes just before the message goes out. False when not sent (no longer holding, unknown
     * interface, bad address); a refusal of the kernel is logged.
     */
    public synchronized boolean refresh(
            String address, int prefix, String iface, long seconds, BooleanSupplier holding) {
        byte[] ip = ipv4(address);
        int index = ip == null ? 0 : if_nametoindex(iface);
        if (ip == null || index == 0 || prefix < 0 || prefix > 32) {
            return false;
        }
        ByteBuffer m = ByteBuffer.allocate(MESSAGE_BYTES).order(ByteOrder.nativeOrder());
        m.putInt(MESSAGE_BYTES).putShort(RTM_NEWADDR).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE));
        m.putInt(++seq).putInt(0);
        m.put(AF_INET).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
        m.putShort((short) 8).putShort(IFA_LOCAL).put(ip);
        m.putShort((short) 8).putShort(IFA_ADDRESS).put(ip);
        int life = (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
        m.putShort((short) 20)
                .putShort(IFA_CACHEINFO)
                .putInt(life)
                .putInt(life)
                .putInt(0)
                .putInt(0);
        byte[] bytes = m.array();
        if (!holding.getAsBoolean()) {
            return false;
        }
        try {
            sendto(fd, bytes, bytes.length, 0, kernel, kernel.length);
        } catch (LastErrorException e) {
            log.warn("cannot refresh the lifetime of {}/{} on {}: {}", address, prefix, iface, e.getMessage());
            return false;
        }
        drainAcks(address, iface);
        return true;
    }

    /** rtnetlink answers in the sender's system call: the acks are queued already; read without waiting. */
    private void drainAcks(String address, String iface) {
        while (true) {
            long n;
            try {
                n = recv(fd, acks, acks.length, MSG_DONTWAIT);
            } catch (LastErrorException e) {
                return; // EAGAIN: nothing more queued
            }
            ByteBuffer b = ByteBuffer.wrap(acks, 0, (int) Math.max(0, n)).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 20) {
                int start = b.position();
                int len = b.getInt();
                short type = b.getShort();
                b.getShort();
                b.getInt();
                b.getInt();
                if (type == NLMSG_ERROR) {
                    int error = b.getInt();
                    if (error != 0) {
                        log.warn("the kernel refused the lifetime of {} on {}: errno {}", address, iface, -error);
                    }
                }
                if (len < 16) {
                    return;
                }
                b.position(Math.min(b.limit(), start + ((len + 3) & ~3)));
            }
        }
    }

    private static byte[] ipv4(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a instanceof Inet4Address ? a.getAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] sockaddrNl() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(0);
        return b.array();
    }

    @Override
    public synchronized void close() {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // already closed
        }
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen)
            throws LastErrorException;

    private static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    private static native int if_nametoindex(String name);

    private static native int close(int fd) throws LastErrorException;
}
