package org.jctdb.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jctdb.config.PublicAddress;
import org.jctdb.ip.HostedAddress;
import org.jctdb.os.AddressLifetimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived {@code ip -force -batch -} child, in its own session, fed one command per line:
 * it deletes released addresses and, where rtnetlink cannot be used from this process, refreshes
 * the kernel lifetime of hosted ones ({@code address change ... valid_lft}). When its input ends
 * (this daemon exited, even by kill -9), it deletes every address listed in the hosted file, so a
 * dead daemon's addresses vanish at once. Lifetimes go through {@link AddressLifetimes} when it
 * opens: a line in the pipe can be read after a pause of the whole node, and for IPv4 the kernel
 * re-creates an address that is gone.
 */
final class AddressGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");

    private final Path hostedFile;
    private final Process process;
    private final OutputStream in;
    private final Optional<AddressLifetimes> netlink = AddressLifetimes.open();
    private boolean broken;

    private AddressGuard(Path hostedFile, Process process) {
        this.hostedFile = hostedFile;
        this.process = process;
        this.in = process.getOutputStream();
    }

    /** Starts the guard; {@code hostedFile} lists "IP/MASK IFACE" lines for the cleanup at exit. */
    static AddressGuard start(Path hostedFile) throws IOException {
        Files.createDirectories(hostedFile.getParent());
        Files.writeString(hostedFile, "");
        String script = "ip -force -batch - >/dev/null 2>&1\n"
                + "while read -r a i; do [ -n \"$i\" ] && ip addr del \"$a\" dev \"$i\" >/dev/null 2>&1; done < \"$1\"\n";
        Process p = new ProcessBuilder("setsid", "sh", "-c", script, "jctdb-address-guard", hostedFile.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new AddressGuard(hostedFile, p);
    }

    /** Deletes every configured public address from its interfaces: a restarted node starts clean. */
    void deleteAll(List<PublicAddress> addresses) {
        StringBuilder b = new StringBuilder();
        for (PublicAddress a : addresses) {
            for (String iface : a.interfaces()) {
                b.append("address del ")
                        .append(a.addressText())
                        .append('/')
                        .append(a.maskBits())
                        .append(" dev ")
                        .append(iface)
                        .append('\n');
            }
        }
        write(b.toString());
    }

    /**
     * Re-arms the kernel lifetime of each hosted address for which {@code holding} still holds when
     * its message goes out (checked again right before, rule 3: the list may be a moment old).
     */
    void refresh(List<HostedAddress> hosted, long leaseSeconds, Predicate<HostedAddress> holding) {
        if (netlink.isPresent()) {
            for (HostedAddress a : hosted) {
                if (a.iface() != null) {
                    netlink.get().refresh(a.ip(), a.maskBits(), a.iface(), leaseSeconds, () -> holding.test(a));
                }
            }
            return;
        }
        StringBuilder b = new StringBuilder();
        for (HostedAddress a : hosted) {
            if (a.iface() != null && holding.test(a)) {
                b.append("address change ")
                        .append(a.withMask())
                        .append(" dev ")
                        .append(a.iface())
                        .append(" valid_lft ")
                        .append(leaseSeconds)
                        .append(" preferred_lft ")
                        .append(leaseSeconds)
                        .append('\n');
            }
        }
        write(b.toString());
    }

    void delete(HostedAddress a) {
        if (a.iface() != null) {
            write("address del " + a.withMask() + " dev " + a.iface() + "\n");
        }
    }

    /** Records what the guard must delete should this daemon die. */
    void hostedChanged(List<HostedAddress> hosted) {
        StringBuilder b = new StringBuilder();
        for (HostedAddress a : hosted) {
            if (a.iface() != null) {
                b.append(a.withMask()).append(' ').append(a.iface()).append('\n');
            }
        }
        try {
            Path tmp = hostedFile.resolveSibling(hostedFile.getFileName() + ".tmp");
            Files.writeString(tmp, b);
            Files.move(tmp, hostedFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("cannot write {}: {}", hostedFile, e.getMessage());
        }
    }

    private void write(String lines) {
        if (lines.isEmpty() || broken) {
            return;
        }
        try {
            in.write(lines.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            broken = true;
            log.error("address guard (ip -batch) is gone: {}; addresses keep their last lifetime", e.getMessage());
        }
    }

    /** Ends the guard's input: it deletes what the hosted file still lists, then exits. */
    @Override
    public void close() {
        netlink.ifPresent(AddressLifetimes::close);
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
