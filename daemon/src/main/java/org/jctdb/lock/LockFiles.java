package org.jctdb.lock;

import io.etcd.jetcd.Client;
import io.netty.handler.ssl.SslContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the files a {@link LockSpec} names (password file, CA, client certificate and key) once, when
 * the lock is built at daemon start, so that a bad file stops the daemon with a message naming the
 * file and the option instead of failing every lock attempt later.
 */
final class LockFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LockFiles.class);

    private LockFiles() {}

    /**
     * The password: the first line of the credentials' password file.
     *
     * @throws IllegalArgumentException naming the file when it is missing, unreadable or empty
     */
    static String password(String kind, LockSpec.Credentials c) {
        Path f = readable(kind, "password-file", c.passwordFile());
        String first;
        try {
            first = Files.readString(f, StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    kind + " lock: password-file " + f + " cannot be read: " + e.getMessage());
        }
        if (first.isEmpty()) {
            throw new IllegalArgumentException(kind + " lock: password-file " + f
                    + " is empty (its first line is the password of user " + c.user() + ")");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("{} lock: password-file {} can be read by other users; chmod 600 it", kind, f);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to warn about
        }
        return first;
    }

    /**
     * The TLS context for etcd (gRPC over HTTP/2), trusting only {@code cacert}, presenting the client
     * certificate if given.
     *
     * @throws IllegalArgumentException naming the file and option that cannot be used
     */
    static SslContext etcdTls(LockSpec.Tls tls) {
        Path ca = readable("etcd", "cacert", tls.caCert());
        certificates("cacert", ca);
        File cert = tls.cert().map(c -> readable("etcd", "cert", c).toFile()).orElse(null);
        File key = tls.key().map(k -> readable("etcd", "key", k).toFile()).orElse(null);
        if (cert != null) {
            certificates("cert", cert.toPath());
        }
        try {
            return Client.builder()
                    .sslContext(b -> {
                        b.trustManager(ca.toFile());
                        if (cert != null) {
                            b.keyManager(cert, key);
                        }
                    })
                    .sslContext();
        } catch (Exception e) {
            // The certificates parsed above, so what remains is the key (or its match with cert).
            throw new IllegalArgumentException("etcd lock: key=" + key + " cannot be used with cert=" + cert
                    + " (an unencrypted PEM private key, PKCS#8 \"BEGIN PRIVATE KEY\", matching the certificate): "
                    + e.getMessage());
        }
    }

    /** Checks that {@code file} holds at least one PEM/DER X.509 certificate. */
    private static void certificates(String option, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new IllegalArgumentException(
                        "etcd lock: " + option + "=" + file + " holds no certificate (PEM expected)");
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("etcd lock: " + option + "=" + file
                    + " is not a certificate file (PEM expected): " + e.getMessage());
        }
    }

    private static Path readable(String kind, String option, String name) {
        Path f = Path.of(name);
        if (!Files.exists(f)) {
            throw new IllegalArgumentException(kind + " lock: " + option + "=" + f + " does not exist");
        }
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(kind + " lock: " + option + "=" + f + " is not a regular file");
        }
        if (!Files.isReadable(f)) {
            throw new IllegalArgumentException(kind + " lock: " + option + "=" + f
                    + " cannot be read by this daemon (uid " + System.getProperty("user.name") + ")");
        }
        return f;
    }
}
