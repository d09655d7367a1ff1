package org.jctdb.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster key ({@code $CTDB_BASE/cluster.key}): the shared secret with which nodes prove to
 * each other that they belong to the cluster (docs/design/security.md). The file holds one or more
 * keys, one base64 line each ({@code #} lines are comments); the first is the one this node offers,
 * every one is accepted, so a key can be rotated without a partition. The file must be a regular
 * file owned by the daemon's user and readable by nobody else.
 */
public final class ClusterKeys {
    /** Peer authentication switched off ({@code [cluster] authentication = none}). */
    public static final ClusterKeys NONE = new ClusterKeys(List.of());

    public static final String FILE_NAME = "cluster.key";
    static final int MIN_KEY_BYTES = 16;
    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_FILE_BYTES = 64 * 1024;
    static final int KEY_ID_BYTES = 8;

    /** One secret and its public id (a hash prefix, safe to send and to log). */
    public record Key(byte[] secret, byte[] id) {
        public String idText() {
            return HexFormat.of().formatHex(id);
        }
    }

    private final List<Key> keys;

    private ClusterKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The key this node offers when it connects; only when {@link #enabled()}. */
    public Key primary() {
        return keys.get(0);
    }

    public List<Key> all() {
        return keys;
    }

    public Optional<Key> byId(byte[] id) {
        return keys.stream().filter(k -> MessageDigest.isEqual(k.id(), id)).findFirst();
    }

    /** Reads and checks the key file (see the class comment). */
    public static ClusterKeys read(Path file) throws ConfigException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw ConfigException.forFile(
                    file,
                    "the cluster key does not exist; create it on one node with "
                            + "`jctdb config genkey` and copy it (mode 0600) to every node, or set "
                            + "[cluster] authentication = none to run without peer authentication");
        } catch (IOException e) {
            throw ConfigException.forFile(file, "cannot read the cluster key: " + e);
        }
        if (!attrs.isRegularFile()) {
            throw ConfigException.forFile(file, "the cluster key is not a regular file");
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            throw ConfigException.forFile(file, "the cluster key file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                throw ConfigException.forFile(
                        file,
                        "the cluster key is accessible by group or others (mode " + PosixFilePermissions.toString(perms)
                                + "); run: chmod 600 " + file);
            }
        }
        String me = System.getProperty("user.name");
        if (me != null && !attrs.owner().getName().equals(me)) {
            throw ConfigException.forFile(
                    file,
                    "the cluster key is owned by " + attrs.owner().getName() + ", not by " + me + " who runs this");
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw ConfigException.forFile(file, "cannot read the cluster key: " + e);
        }
        return parse(file.toString(), text);
    }

    /** Parses the file's text; {@code name} is only for error messages. */
    public static ClusterKeys parse(String name, String text) throws ConfigException {
        List<Key> keys = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(line);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, i + 1, "a cluster key must be one base64 line");
            }
            if (secret.length < MIN_KEY_BYTES || secret.length > MAX_KEY_BYTES) {
                throw new ConfigException(
                        name,
                        i + 1,
                        "a cluster key must be " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes, this one is "
                                + secret.length);
            }
            Key k = new Key(secret, keyId(secret));
            if (keys.stream().noneMatch(o -> MessageDigest.isEqual(o.id(), k.id()))) {
                keys.add(k);
            }
        }
        if (keys.isEmpty()) {
            throw ConfigException.forFile(Path.of(name), "the cluster key file holds no key");
        }
        return new ClusterKeys(keys);
    }

    static byte[] keyId(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("jctdb cluster key id\0".getBytes(StandardCharsets.US_ASCII));
            byte[] d = sha.digest(secret);
            byte[] id = new byte[KEY_ID_BYTES];
            System.arraycopy(d, 0, id, 0, KEY_ID_BYTES);
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random 256-bit key as one base64 line. */
    public static String generateLine() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * Writes {@code text} to {@code file} with mode 0600 from the first byte on (a temporary file
     * in the same directory, renamed over the target). Never replaces an existing file unless
     * {@code replace}.
     */
    public static void write(Path file, String text, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!replace && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " already exists");
        }
        Path tmp = Files.createTempFile(
                dir,
                ".cluster.key.",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
