package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcLocksTest {
    @Test
    void deviceComesFromMountinfoInProcLocksNotation() {
        List<String> mountinfo = List.of(
                "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw",
                "301 22 0:47 / /tmp/jlab-1-x/cfs rw,nosuid,nodev,relatime shared:160 - fuse /dev/fuse rw");
        assertThat(ProcLocks.device(mountinfo, "/tmp/jlab-1-x/cfs")).contains("00:2f");
        assertThat(ProcLocks.device(mountinfo, "/elsewhere")).isEmpty();
    }

    @Test
    void countsDistinctHoldersOnTheDeviceButNotWaiters() {
        String locks = "1: POSIX  ADVISORY  WRITE 4242 00:2f:12 0 EOF\n"
                + "1: -> POSIX  ADVISORY  WRITE 5151 00:2f:12 0 EOF\n"
                + "2: POSIX  ADVISORY  WRITE 6060 00:2f:99 0 EOF\n"
                + "3: POSIX  ADVISORY  READ 4242 00:2f:13 0 EOF\n"
                + "4: FLOCK  ADVISORY  WRITE 777 fd:01:12 0 EOF\n"
                + "5: OFDLCK ADVISORY  WRITE -1 00:2f:14 0 EOF\n";
        assertThat(ProcLocks.holders(locks, "00:2f")).isEqualTo(3);
        assertThat(ProcLocks.holders(locks, "00:30")).isZero();
    }
}
