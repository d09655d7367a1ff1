package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a lock spec names: each problem names the option and the file (the key case is in LeasedLockSecurityIT). */
class LockFilesTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordIsTheFirstLineOfItsFile() throws Exception {
        Path f = Files.writeString(dir.resolve("pw"), "s3cret\nignored\n");
        assertThat(LockFiles.password("etcd", new LockSpec.Credentials("jctdb", f.toString())))
                .isEqualTo("s3cret");
    }

    @Test
    void aMissingEmptyOrOddPasswordFileIsNamed() throws Exception {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> LockFiles.password("etcd", new LockSpec.Credentials("jctdb", missing.toString())))
                .hasMessage("etcd lock: password-file=" + missing + " does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> LockFiles.password("zookeeper", new LockSpec.Credentials("u", empty.toString())))
                .hasMessage("zookeeper lock: password-file=" + empty
                        + " is empty (its first line is the password of user u)");
        assertThatThrownBy(() -> LockFiles.password("etcd", new LockSpec.Credentials("u", dir.toString())))
                .hasMessage("etcd lock: password-file=" + dir + " is not a regular file");
    }

    @Test
    void aCaFileWithoutCertificatesIsNamed() throws Exception {
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() ->
                        LockFiles.etcdTls(new LockSpec.Tls(garbage.toString(), Optional.empty(), Optional.empty())))
                .hasMessageStartingWith("etcd lock: cacert=" + garbage + " ");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() ->
                        LockFiles.etcdTls(new LockSpec.Tls(missing.toString(), Optional.empty(), Optional.empty())))
                .hasMessage("etcd lock: cacert=" + missing + " does not exist");
    }
}
