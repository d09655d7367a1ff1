package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files that are not files: refused by name at once, never read forever. */
class TextLinesTest {
    @TempDir
    Path dir;

    @Test
    void aDeviceAFifoAndADirectoryAreRefusedByName() throws Exception {
        Path zero = dir.resolve("ctdb.conf");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        assertThatThrownBy(() -> IniFile.read(zero))
                .hasMessage(zero + ": not a regular file (a FIFO, socket or device)");
        Path fifo = dir.resolve("public_addresses");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        p.waitFor();
        assertThatThrownBy(() -> PublicAddressesFile.read(fifo)).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> NodesFile.read(dir)).hasMessageContaining("not a regular file (a directory)");
    }
}
