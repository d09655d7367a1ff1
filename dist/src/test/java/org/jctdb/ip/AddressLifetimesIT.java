package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.lab.Commands;
import org.jctdb.os.AddressLifetimes;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink lifetime refresh against the real kernel, on a veth interface of this machine:
 * it re-arms an address's lifetime, sends nothing once the hold is gone (so a vanished address stays
 * gone), and refuses an unknown interface.
 */
class AddressLifetimesIT {
    private static final Duration CMD = Duration.ofSeconds(10);
    private static final String IFACE = "jctdblt" + (ProcessHandle.current().pid() % 100_000);
    private static final String IP = "198.19.254.7";

    @BeforeEach
    void dummy() throws Exception {
        TestEnvironment.require("root".equals(System.getProperty("user.name")), "needs root (a veth interface)");
        Commands.run(CMD, "ip", "link", "add", IFACE, "type", "veth", "peer", "name", IFACE + "p")
                .requireOk();
        Commands.run(CMD, "ip", "link", "set", IFACE, "up").requireOk();
    }

    @AfterEach
    void remove() throws Exception {
        Commands.run(CMD, "ip", "link", "del", IFACE);
    }

    private static Optional<Long> validLifetime() throws Exception {
        String out = Commands.run(CMD, "ip", "-o", "-4", "addr", "show", "dev", IFACE)
                .output();
        if (!out.contains(IP + "/24")) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("valid_lft (\\d+|forever)sec").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Optional.of(m.group(1).equals("forever") ? Long.MAX_VALUE : Long.parseLong(m.group(1)));
    }

    @Test
    void refreshesOnlyWhileHolding() throws Exception {
        Optional<AddressLifetimes> opened = AddressLifetimes.open();
        assertThat(opened).as("an rtnetlink socket as root on Linux").isPresent();
        try (AddressLifetimes lifetimes = opened.get()) {
            Commands.run(CMD, "ip", "addr", "add", IP + "/24", "dev", IFACE, "valid_lft", "5", "preferred_lft", "5")
                    .requireOk();
            assertThat(validLifetime()).hasValueSatisfying(l -> assertThat(l).isLessThanOrEqualTo(5));

            assertThat(lifetimes.refresh(IP, 24, IFACE, 600, () -> true)).isTrue();
            assertThat(validLifetime()).hasValueSatisfying(l -> assertThat(l).isBetween(590L, 600L));

            // The hold lapsed and the address went (as when the kernel's lifetime ran out during a pause):
            // a refresh decided before must not bring it back.
            Commands.run(CMD, "ip", "addr", "del", IP + "/24", "dev", IFACE).requireOk();
            assertThat(lifetimes.refresh(IP, 24, IFACE, 600, () -> false)).isFalse();
            assertThat(validLifetime()).isEmpty();

            // Why the check matters: for IPv4 the kernel re-creates a vanished address on a replace.
            assertThat(lifetimes.refresh(IP, 24, IFACE, 600, () -> true)).isTrue();
            assertThat(validLifetime()).isPresent();

            assertThat(lifetimes.refresh(IP, 24, "nosuch" + IFACE, 600, () -> true))
                    .isFalse();
            assertThat(lifetimes.refresh("not-an-address", 24, IFACE, 600, () -> true))
                    .isFalse();
        }
    }
}
