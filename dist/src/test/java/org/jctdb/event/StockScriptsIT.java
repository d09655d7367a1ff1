package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * CTDB 4.17's own stock event scripts, with Debian's own functions file, run unchanged under
 * jctdbd with CTDB pointing at jctdb, and show OK in scriptstatus.
 */
class StockScriptsIT {
    private static final Path STOCK = Path.of("/usr/share/ctdb/events/legacy");
    private static final List<String> SCRIPTS = List.of("00.ctdb", "01.reclock", "05.system", "10.interface");

    @Test
    void ctdbsStockScriptsRunUnchangedAndShowOk() throws Exception {
        TestEnvironment.require(
                Files.isDirectory(STOCK) && Files.exists(Path.of("/etc/ctdb/functions")),
                "Debian's ctdb package is not installed (apt-get install ctdb)");
        try (LocalClusterHarness c = LocalClusterHarness.up(1, "MonitorInterval=3600")) {
            Path node = c.nodeDir(0);
            Files.copy(Path.of("/etc/ctdb/functions"), node.resolve("functions"));
            for (String s : SCRIPTS) {
                Files.createSymbolicLink(node.resolve("events/legacy/" + s + ".script"), STOCK.resolve(s + ".script"));
            }
            // 10.interface checks the interfaces public addresses name; these are never configured.
            Files.writeString(node.resolve("public_addresses"), "198.18.250.1/32 lo\n198.18.250.2/32 lo\n");
            for (String event : List.of("init", "setup", "startup", "monitor")) {
                Result r = c.jctdb(0, "event", "run", "30", "legacy", event);
                assertThat(r.exitCode())
                        .as("event %s: %s%s", event, r.stdout(), r.stderr())
                        .isZero();
            }
            Result status = c.jctdb(0, "scriptstatus");
            assertThat(status.exitCode()).as(status.stdout()).isZero();
            for (String s : SCRIPTS) {
                assertThat(status.stdout())
                        .containsPattern("(?m)^" + s.replace(".", "\\.") + "\\s+OK\\s+\\d+\\.\\d{3} ");
            }
        }
    }
}
