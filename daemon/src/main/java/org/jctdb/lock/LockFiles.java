package org.jctdb.lock;

import io.etcd.jetcd.Client;
import io.netty.handler.ssl.SslContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
                    kind + " lock: password-file=" + f + " cannot be read: " + e.getMessage());
        }
        if (first.isEmpty()) {
            throw new IllegalArgumentException(kind + " lock: password-file=" + f
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

    /**
     * Why a TLS handshake with the first reachable endpoint fails, if it does: the gRPC client only
     * says "no answer" when the server's certificate is not trusted (it waits for a channel that never
     * becomes ready), so after a timed-out attempt the lock asks the JDK directly (blocking up to
     * {@code timeoutMs} per endpoint, on the lock's own thread).
     */
    static Optional<String> tlsProblem(LockSpec.Tls tls, List<LockSpec.Endpoint> endpoints, int timeoutMs) {
        SSLContext ctx;
        try {
            ctx = jdkContext(tls);
        } catch (Exception e) {
            return Optional.of("cannot build a TLS context: " + e);
        }
        for (LockSpec.Endpoint e : endpoints) {
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(e.host(), e.port()), timeoutMs);
                raw.setSoTimeout(timeoutMs);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, e.host(), e.port(), false)) {
                    SSLParameters p = s.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    s.setSSLParameters(p);
                    s.startHandshake();
                    return Optional.empty(); // this one works: the trouble is elsewhere
                }
            } catch (SSLException x) {
                return Optional.of("TLS handshake with " + e + " failed: " + x.getMessage());
            } catch (IOException x) {
                // not reachable: try the next one
            }
        }
        return Optional.empty();
    }

    /** The same trust and client key as {@link #etcdTls}, for the JDK's own sockets. */
    private static SSLContext jdkContext(LockSpec.Tls tls) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(Path.of(tls.caCert()))) {
            for (Certificate c : cf.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] kms = null;
        if (tls.cert().isPresent() && tls.key().isPresent()) {
            List<Certificate> chain;
            try (InputStream in = Files.newInputStream(Path.of(tls.cert().get()))) {
                chain = new ArrayList<>(cf.generateCertificates(in));
            }
            String pem = Files.readString(Path.of(tls.key().get()), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            PKCS8EncodedKeySpec spec =
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem));
            PrivateKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePrivate(spec);
            } catch (Exception notRsa) {
                key = KeyFactory.getInstance("EC").generatePrivate(spec);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            kms = kmf.getKeyManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kms, tmf.getTrustManagers(), null);
        return ctx;
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
