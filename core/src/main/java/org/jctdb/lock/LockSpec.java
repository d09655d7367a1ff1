package org.jctdb.lock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed coordination-service cluster lock value ({@code [cluster] cluster lock}):
 *
 * <pre>
 *   etcd:HOST[:PORT][,HOST[:PORT]...][/KEY][?ttl=SECONDS][&cacert=FILE[&cert=FILE&key=FILE]][&user=NAME&password-file=FILE]
 *   zookeeper:HOST[:PORT][,HOST[:PORT]...][/PATH][?session=SECONDS][&user=NAME&password-file=FILE]
 * </pre>
 *
 * Ports default to 2379 (etcd) and 2181 (ZooKeeper); KEY and PATH default to
 * {@value #DEFAULT_KEY}; ttl defaults to 10 s (3..300), session to 10 s (2..120, the server may
 * shorten or lengthen it within its own bounds). etcd speaks TLS when {@code cacert} (the CA that
 * signed the members' certificates, PEM) is given, and presents a client certificate when
 * {@code cert} and {@code key} (PEM, the key unencrypted PKCS#8) are; {@code user} with
 * {@code password-file} (the file's first line is the password) authenticates as an etcd user or as
 * a ZooKeeper digest identity. The names follow etcdctl's flags; files are absolute paths; a password
 * itself is never accepted in the value. Files are read by the daemon ({@link ClusterLocks}), not
 * here. Any other value (a path, {@code !helper}) is not a LockSpec: {@link #parse} returns empty
 * and {@link ClusterLocks} handles it.
 */
public sealed interface LockSpec {
    String DEFAULT_KEY = "/jctdb/cluster-lock";

    /** One server. */
    record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    List<Endpoint> endpoints();

    /** Seconds the service keeps the lock without hearing from its holder (etcd TTL, ZooKeeper session timeout). */
    int leaseSeconds();

    String describe();

    /**
     * TLS to the service: the CA certificate that signed the servers' certificates, and optionally a
     * client certificate and its key (both or neither). Absolute paths, read by the daemon.
     */
    record Tls(String caCert, Optional<String> cert, Optional<String> key) {}

    /** A user and the file whose first line is its password (absolute path, read by the daemon). */
    record Credentials(String user, String passwordFile) {}

    /** etcd v3: a lease of {@code ttl} seconds; the lock is {@code key}, created under the lease. */
    record Etcd(List<Endpoint> endpoints, String key, int ttl, Optional<Tls> tls, Optional<Credentials> credentials)
            implements LockSpec {
        public Etcd {
            endpoints = List.copyOf(endpoints);
        }

        /** Plain TCP, no credentials. */
        public Etcd(List<Endpoint> endpoints, String key, int ttl) {
            this(endpoints, key, ttl, Optional.empty(), Optional.empty());
        }

        @Override
        public int leaseSeconds() {
            return ttl;
        }

        @Override
        public String describe() {
            return "etcd lock " + key + " on " + join(endpoints) + " (lease ttl " + ttl + " s"
                    + tls.map(t -> ", TLS" + (t.cert().isPresent() ? " with client certificate" : ""))
                            .orElse("")
                    + credentials.map(c -> ", user " + c.user()).orElse("") + ")";
        }
    }

    /** ZooKeeper: Curator's InterProcessMutex under {@code path}, in a session of {@code session} seconds. */
    record ZooKeeper(List<Endpoint> endpoints, String path, int session, Optional<Credentials> credentials)
            implements LockSpec {
        public ZooKeeper {
            endpoints = List.copyOf(endpoints);
        }

        /** No credentials. */
        public ZooKeeper(List<Endpoint> endpoints, String path, int session) {
            this(endpoints, path, session, Optional.empty());
        }

        @Override
        public int leaseSeconds() {
            return session;
        }

        @Override
        public String describe() {
            return "ZooKeeper lock " + path + " on " + join(endpoints) + " (session " + session + " s"
                    + credentials.map(c -> ", digest user " + c.user()).orElse("") + ")";
        }

        public String connectString() {
            return join(endpoints);
        }
    }

    /**
     * The safety margin of a lease of {@code leaseMs}: the holder stops acting this long before the
     * lease can have expired at the service by its own clock. max(1 s, lease / 5).
     */
    static long marginMillis(long leaseMs) {
        return Math.max(1_000, leaseMs / 5);
    }

    /** How often the holder renews (etcd keep-alive) or re-checks (ZooKeeper) the lease: lease / 3. */
    static long renewMillis(long leaseMs) {
        return leaseMs / 3;
    }

    /**
     * @return the spec for an {@code etcd:} or {@code zookeeper:} value; empty for anything else
     * @throws IllegalArgumentException naming what is wrong with an etcd/zookeeper value
     */
    static Optional<LockSpec> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.startsWith("etcd:")) {
            Parts p = Parts.split("etcd", v.substring(5), 2379);
            p.onlyOptions("ttl", "cacert", "cert", "key", "user", "password-file");
            return Optional.of(new Etcd(p.endpoints, p.path, p.intOption("ttl", 10, 3, 300), p.tls(), p.credentials()));
        }
        if (v.startsWith("zookeeper:")) {
            Parts p = Parts.split("zookeeper", v.substring(10), 2181);
            p.onlyOptions("session", "user", "password-file");
            if (p.path.endsWith("/") || p.path.contains("//")) {
                throw new IllegalArgumentException(
                        "zookeeper lock path \"" + p.path + "\" must not end in / or contain an empty element");
            }
            return Optional.of(new ZooKeeper(p.endpoints, p.path, p.intOption("session", 10, 2, 120), p.credentials()));
        }
        return Optional.empty();
    }

    private static String join(List<Endpoint> endpoints) {
        StringBuilder sb = new StringBuilder();
        for (Endpoint e : endpoints) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e);
        }
        return sb.toString();
    }

    /** The pieces of SERVERS[/PATH][?OPTIONS]. */
    final class Parts {
        final String kind;
        final List<Endpoint> endpoints = new ArrayList<>();
        String path = DEFAULT_KEY;
        final Map<String, String> options = new LinkedHashMap<>();

        private Parts(String kind) {
            this.kind = kind;
        }

        static Parts split(String kind, String rest, int defaultPort) {
            Parts p = new Parts(kind);
            String where = kind + " lock";
            int q = rest.indexOf('?');
            String query = q >= 0 ? rest.substring(q + 1) : null;
            String main = q >= 0 ? rest.substring(0, q) : rest;
            if (main.startsWith("//")) {
                throw new IllegalArgumentException(where + ": write " + kind + ":HOST:PORT, without //");
            }
            int slash = main.indexOf('/');
            String servers = slash >= 0 ? main.substring(0, slash) : main;
            if (slash >= 0) {
                p.path = main.substring(slash);
                if (p.path.length() < 2) {
                    throw new IllegalArgumentException(where + ": empty key after /");
                }
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException(where + ": no server given (" + kind + ":HOST:PORT[,HOST:PORT...])");
            }
            for (String s : servers.split(",", -1)) {
                p.endpoints.add(endpoint(where, s.strip(), defaultPort));
            }
            if (query != null) {
                for (String kv : query.split("&", -1)) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(where + ": option \"" + kv + "\" is not NAME=VALUE");
                    }
                    if (p.options.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                        throw new IllegalArgumentException(where + ": option " + kv.substring(0, eq) + " given twice");
                    }
                }
            }
            return p;
        }

        private static Endpoint endpoint(String where, String s, int defaultPort) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException(where + ": empty server in the list");
            }
            String host;
            String port = null;
            if (s.startsWith("[")) {
                int end = s.indexOf(']');
                if (end < 0) {
                    throw new IllegalArgumentException(where + ": unclosed [ in \"" + s + "\"");
                }
                host = s.substring(1, end);
                String after = s.substring(end + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new IllegalArgumentException(where + ": bad server \"" + s + "\"");
                    }
                    port = after.substring(1);
                }
            } else {
                int colon = s.indexOf(':');
                if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException(
                            where + ": write an IPv6 address as [ADDR]:PORT (\"" + s + "\")");
                }
                host = colon >= 0 ? s.substring(0, colon) : s;
                port = colon >= 0 ? s.substring(colon + 1) : null;
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
                throw new IllegalArgumentException(where + ": bad host in \"" + s + "\"");
            }
            int p = defaultPort;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    p = -1;
                }
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException(where + ": bad port in \"" + s + "\" (1..65535)");
                }
            }
            return new Endpoint(host, p);
        }

        void onlyOptions(String... allowed) {
            for (String k : options.keySet()) {
                if (k.equals("password")) {
                    throw new IllegalArgumentException(kind + " lock: password= is not accepted (ctdb.conf is"
                            + " readable by every local user and ends up in logs and status output); write the"
                            + " password into a file only root can read and give password-file=FILE");
                }
                if (!List.of(allowed).contains(k)) {
                    throw new IllegalArgumentException(
                            kind + " lock: unknown option \"" + k + "\" (known: " + String.join(", ", allowed) + ")");
                }
            }
        }

        /** TLS options: cacert turns TLS on; cert and key come together and need cacert. */
        Optional<Tls> tls() {
            Optional<String> ca = file("cacert");
            Optional<String> cert = file("cert");
            Optional<String> key = file("key");
            if (cert.isPresent() != key.isPresent()) {
                throw new IllegalArgumentException(
                        kind + " lock: " + (cert.isPresent() ? "cert= needs key=" : "key= needs cert=")
                                + " (a client certificate and its private key come together)");
            }
            if (ca.isEmpty() && cert.isPresent()) {
                throw new IllegalArgumentException(kind + " lock: cert= and key= need cacert= (TLS is on when cacert="
                        + " names the CA certificate that signed the servers' certificates)");
            }
            return ca.map(c -> new Tls(c, cert, key));
        }

        /** user and password-file, together or neither. */
        Optional<Credentials> credentials() {
            String user = options.get("user");
            Optional<String> pw = file("password-file");
            if ((user != null) != pw.isPresent()) {
                throw new IllegalArgumentException(kind + " lock: "
                        + (user != null
                                ? "user= needs password-file=FILE (the file's first line is the password)"
                                : "password-file= needs user=NAME"));
            }
            if (user == null) {
                return Optional.empty();
            }
            if (user.isEmpty() || !user.matches("[A-Za-z0-9._@-]+")) {
                throw new IllegalArgumentException(
                        kind + " lock: user=\"" + user + "\" is not a user name (letters, digits, . _ @ -)");
            }
            return Optional.of(new Credentials(user, pw.get()));
        }

        private Optional<String> file(String name) {
            String s = options.get(name);
            if (s == null) {
                return Optional.empty();
            }
            if (!s.startsWith("/")) {
                throw new IllegalArgumentException(
                        kind + " lock: " + name + "=\"" + s + "\" must be an absolute path to a file");
            }
            return Optional.of(s);
        }

        int intOption(String name, int def, int min, int max) {
            String s = options.get(name);
            if (s == null) {
                return def;
            }
            int n;
            try {
                n = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        kind + " lock: " + name + "=\"" + s + "\" is not a number of seconds");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(
                        kind + " lock: " + name + "=" + n + " is out of range " + min + ".." + max + " seconds");
            }
            return n;
        }
    }
}
