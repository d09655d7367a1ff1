package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster key file: its format, its permissions, and the errors that name what is wrong. */
class ClusterKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatedKeyIsWrittenPrivateAndReadBack() throws Exception {
        Path f = dir.resolve("cluster.key");
        String line = ClusterKeys.generateLine();
        ClusterKeys.write(f, "# comment\n" + line + "\n", false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        ClusterKeys k = ClusterKeys.read(f);
        assertThat(k.enabled()).isTrue();
        assertThat(k.primary().secret()).hasSize(32);
        assertThat(k.byId(k.primary().id())).isPresent();
        assertThatThrownBy(() -> ClusterKeys.write(f, line, false)).hasMessageContaining("already exists");
    }

    @Test
    void severalKeysTheFirstIsOffered() throws Exception {
        String a = ClusterKeys.generateLine();
        String b = ClusterKeys.generateLine();
        ClusterKeys k = ClusterKeys.parse("f", a + "\n\n" + b + "\n" + a + "\n");
        assertThat(k.all()).hasSize(2);
        assertThat(k.primary().secret()).isEqualTo(java.util.Base64.getDecoder().decode(a));
    }

    @Test
    void groupOrWorldReadableKeyIsRefused() throws Exception {
        Path f = dir.resolve("cluster.key");
        Files.writeString(f, ClusterKeys.generateLine());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ClusterKeys.read(f))
                .hasMessageContaining("accessible by group or others")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void missingShortMalformedAndNonRegularAreNamed() throws Exception {
        assertThatThrownBy(() -> ClusterKeys.read(dir.resolve("none")))
                .hasMessageContaining("jctdb config genkey")
                .hasMessageContaining("authentication = none");
        assertThatThrownBy(() -> ClusterKeys.parse("f", "c2hvcnQ=")).hasMessageContaining("16 to 1024 bytes");
        assertThatThrownBy(() -> ClusterKeys.parse("f", "not base64!"))
                .hasMessageContaining("f:1: a cluster key must be one base64 line");
        assertThatThrownBy(() -> ClusterKeys.parse("f", "# only a comment\n")).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> ClusterKeys.read(dir)).hasMessageContaining("not a regular file");
    }

    @Test
    void authenticationOptionIsKeyOrNone() throws Exception {
        assertThat(CtdbConfReader.parse(
                                IniFile.parse("c", java.util.List.of("[cluster]", "\tauthentication = none")), "stderr")
                        .peerAuthentication())
                .isFalse();
        assertThat(CtdbConfReader.parse(IniFile.parse("c", java.util.List.of()), "stderr")
                        .peerAuthentication())
                .isTrue();
        assertThatThrownBy(() -> CtdbConfReader.parse(
                        IniFile.parse("c", java.util.List.of("[cluster]", "authentication = maybe")), "stderr"))
                .hasMessageContaining("c:2: \"authentication\" must be key or none");
    }
}
