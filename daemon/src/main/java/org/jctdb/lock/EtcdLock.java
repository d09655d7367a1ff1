package org.jctdb.lock;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.jctdb.common.Ticker;
import org.jctdb.leader.LockLease;
import org.jctdb.leader.LockResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster lock as an etcd v3 key held under a lease.
 *
 * <p>Acquire: grant a lease of {@code ttl} seconds, then one transaction "if the key's create
 * revision is 0 (absent), put it with the lease, else read it". Success is TAKEN with the key's
 * create revision (the transaction's revision) as the fencing token; otherwise CONTENTION and
 * the unused lease is revoked. Holding: every ttl/3 a keep-alive of the lease followed by a read
 * of the key (same create revision, same lease, or LOST). The lease's deadline by our clock is
 * the moment the keep-alive was <em>sent</em> plus the TTL the server answered (the server
 * restarts the TTL when it receives it, which is later); the holder may act until that deadline
 * minus {@link LockSpec#marginMillis}. Release revokes the lease, which deletes the key.
 *
 * <p>Every call is asynchronous with its own deadline; callbacks run on this lock's single
 * thread, never on a daemon thread that decides anything.
 */
public final class EtcdLock implements ClusterLock {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdLock.class);

    private enum State {
        IDLE,
        ACQUIRING,
        HELD
    }

    private final LockSpec.Etcd spec;
    private final LockListener listener;
    private final Ticker clock;
    private final long acquireTimeoutMs;
    private final long leaseMs;
    private final long marginMs;
    private final long renewMs;
    private final ByteSequence key;
    private final ByteSequence value;
    private final ScheduledExecutorService exec;
    private final Optional<SslContext> tls;
    private final Optional<String> password;

    // all below only on exec
    private Client client;
    private State state = State.IDLE;
    private long attempt;
    private long leaseId;
    private long token;
    private long confirmedUntil; // lease end by our clock (no margin) as of the last confirmed renewal
    private long answeredSentAt; // send time of the newest renewal that answered (or of the taking)
    private boolean unresponsive;
    private ScheduledFuture<?> renewTask;
    private boolean closed;

    public EtcdLock(LockSpec.Etcd spec, LockListener listener, Ticker clock, long acquireTimeoutMs) {
        this.spec = spec;
        this.listener = listener;
        this.clock = clock;
        this.acquireTimeoutMs = acquireTimeoutMs;
        this.leaseMs = spec.ttl() * 1000L;
        this.marginMs = LockSpec.marginMillis(leaseMs);
        this.renewMs = LockSpec.renewMillis(leaseMs);
        this.key = bytes(spec.key());
        this.value = bytes(holderName());
        // Read now, at daemon start: a bad file stops the daemon with its name rather than failing every attempt.
        this.tls = spec.tls().map(LockFiles::etcdTls);
        this.password = spec.credentials().map(c -> LockFiles.password("etcd", c));
        this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-lock-etcd");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String description() {
        return spec.describe();
    }

    @Override
    public void acquire() {
        exec.execute(this::startAttempt);
    }

    @Override
    public void release() {
        exec.execute(() -> releaseNow("released"));
    }

    @Override
    public void close() {
        exec.execute(() -> {
            releaseNow("closing");
            closed = true;
            Client c = client;
            client = null;
            exec.schedule(
                    () -> {
                        if (c != null) {
                            c.close();
                        }
                        exec.shutdown();
                    },
                    500,
                    TimeUnit.MILLISECONDS);
        });
    }

    // ------------------------------------------------------------------ acquire

    private void startAttempt() {
        if (closed) {
            listener.onLockResult(LockResult.ERROR, description() + ": lock is closed");
            return;
        }
        if (state == State.HELD) {
            listener.onLockTaken(description() + ": already held", new LockLease(token, confirmedUntil - marginMs));
            return;
        }
        if (state == State.ACQUIRING) {
            return;
        }
        state = State.ACQUIRING;
        long id = ++attempt;
        long sentAt = clock.nowMillis();
        Client c = client();
        long[] granted = {0};
        c.getLeaseClient()
                .grant(spec.ttl())
                .orTimeout(acquireTimeoutMs, TimeUnit.MILLISECONDS)
                .thenCompose(g -> {
                    granted[0] = g.getID();
                    long left = Math.max(1, acquireTimeoutMs - (clock.nowMillis() - sentAt));
                    return c.getKVClient()
                            .txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                            .Then(Op.put(
                                    key,
                                    value,
                                    PutOption.builder().withLeaseId(g.getID()).build()))
                            .Else(Op.get(key, GetOption.DEFAULT))
                            .commit()
                            .orTimeout(left, TimeUnit.MILLISECONDS);
                })
                .whenCompleteAsync((txn, err) -> attemptDone(id, sentAt, granted[0], txn, err), exec);
    }

    private void attemptDone(long id, long sentAt, long lease, TxnResponse txn, Throwable err) {
        if (id != attempt || state != State.ACQUIRING) {
            revoke(lease); // released or closed meanwhile
            return;
        }
        state = State.IDLE;
        if (err != null) {
            revoke(lease); // the put may have happened after our deadline: do not leave the key behind
            Throwable cause = unwrap(err);
            boolean timeout = cause instanceof TimeoutException;
            String text = description() + ": "
                    + (timeout ? "no answer within " + acquireTimeoutMs + " ms" : "failed: " + explain(cause));
            if (timeout && spec.tls().isPresent()) {
                Optional<String> tlsProblem = LockFiles.tlsProblem(spec.tls().get(), spec.endpoints(), 2_000);
                if (tlsProblem.isPresent()) {
                    text = description() + ": " + explain(new SSLException(tlsProblem.get()));
                }
            }
            LOG.warn(text);
            listener.onLockResult(timeout ? LockResult.TIMEOUT : LockResult.ERROR, text);
            return;
        }
        if (!txn.isSucceeded()) {
            revoke(lease);
            String holder = txn.getGetResponses().isEmpty()
                            || txn.getGetResponses().get(0).getKvs().isEmpty()
                    ? "?"
                    : txn.getGetResponses().get(0).getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
            listener.onLockResult(LockResult.CONTENTION, description() + ": held by " + holder);
            return;
        }
        long end = sentAt + leaseMs;
        if (clock.nowMillis() >= end - marginMs) {
            revoke(lease);
            listener.onLockResult(LockResult.TIMEOUT, description() + ": taken too late to use the lease");
            return;
        }
        state = State.HELD;
        leaseId = lease;
        token = txn.getHeader().getRevision();
        confirmedUntil = end;
        unresponsive = false;
        answeredSentAt = sentAt;
        renewTask =
                exec.scheduleWithFixedDelay(this::renew, renewMs, Math.max(100, renewMs / 4), TimeUnit.MILLISECONDS);
        nextRenewAt = sentAt + Math.max(250, renewMs / 4);
        listener.onLockTaken(
                description() + ": taken, lease " + Long.toHexString(lease) + ", fencing token (create revision) "
                        + token,
                new LockLease(token, end - marginMs));
    }

    // ------------------------------------------------------------------ holding

    private long nextRenewAt;

    /** Runs often; sends a renewal every renewMs, watches the deadline. */
    private void renew() {
        if (state != State.HELD) {
            return;
        }
        long now = clock.nowMillis();
        if (now >= confirmedUntil) {
            lose("no renewal confirmed before the lease ran out by this node's clock; the service may have expired it");
            return;
        }
        // A renewal not answered one interval after it was due: the service (or the member it went to) is silent.
        if (!unresponsive && now - answeredSentAt >= 2 * renewMs) {
            unresponsive = true;
            String text = description() + ": no lease renewal answered for " + (now - answeredSentAt) + " ms";
            LOG.warn(text);
            listener.onLockResult(LockResult.UNRESPONSIVE, text);
        }
        if (now < nextRenewAt) {
            return;
        }
        // Renewals do not wait for each other, and go four times per renewal interval: the client spreads
        // its calls over the members (round robin), and each renewal is two calls (keep-alive, read of the
        // key), so with one member of three paused (its calls hang until their timeout) about half of the
        // renewals answer; four chances per interval make a lease lapse for that reason very unlikely.
        nextRenewAt = now + Math.max(250, renewMs / 4);
        long sent = now;
        long lease = leaseId;
        long tok = token;
        Client c = client();
        c.getLeaseClient()
                .keepAliveOnce(lease)
                .orTimeout(leaseMs, TimeUnit.MILLISECONDS)
                .thenCompose(ka -> c.getKVClient()
                        .get(key)
                        .orTimeout(leaseMs, TimeUnit.MILLISECONDS)
                        .thenApply(get -> new Renewal(ka.getTTL(), get)))
                .whenCompleteAsync((r, err) -> renewDone(lease, tok, sent, r, err), exec);
    }

    private record Renewal(long ttl, GetResponse get) {}

    private void renewDone(long lease, long tok, long sentAt, Renewal r, Throwable err) {
        if (state != State.HELD || lease != leaseId || tok != token) {
            return;
        }
        if (err != null) {
            Throwable cause = unwrap(err);
            LOG.warn("{}: lease renewal failed: {}", description(), cause.toString());
            if (cause.getMessage() != null && cause.getMessage().contains("requested lease not found")) {
                lose("the service says the lease has expired");
            } else if (!unresponsive && sentAt >= answeredSentAt) { // no later renewal has answered
                unresponsive = true;
                listener.onLockResult(
                        LockResult.UNRESPONSIVE, description() + ": lease renewal failed: " + explain(cause));
            }
            nextRenewAt = Math.min(nextRenewAt, clock.nowMillis() + Math.max(250, renewMs / 4));
            return;
        }
        if (r.ttl() <= 0) {
            lose("the service says the lease has expired");
            return;
        }
        List<KeyValue> kvs = r.get().getKvs();
        if (kvs.isEmpty()) {
            lose("the lock key was deleted");
            return;
        }
        KeyValue kv = kvs.get(0);
        if (kv.getCreateRevision() != tok || kv.getLease() != lease) {
            lose("the lock key was replaced (create revision " + kv.getCreateRevision() + ", lease "
                    + Long.toHexString(kv.getLease()) + ")");
            return;
        }
        confirmedUntil = Math.max(confirmedUntil, sentAt + r.ttl() * 1000L);
        listener.onLockChecked(clock.nowMillis() - sentAt);
        answeredSentAt = Math.max(answeredSentAt, sentAt);
        listener.onLeaseRenewed(new LockLease(tok, confirmedUntil - marginMs));
        if (unresponsive) {
            unresponsive = false;
            listener.onLockResult(LockResult.RESPONSIVE_AGAIN, description() + ": lease renewal answers again");
        }
    }

    private void lose(String why) {
        long lease = leaseId;
        stopHolding();
        revoke(lease);
        String text = description() + ": " + why;
        LOG.warn(text);
        listener.onLockResult(LockResult.LOST, text);
    }

    private void releaseNow(String why) {
        attempt++;
        if (state == State.HELD) {
            LOG.info("{}: {} (revoking lease {})", description(), why, Long.toHexString(leaseId));
            long lease = leaseId;
            stopHolding();
            revoke(lease);
        }
        state = State.IDLE;
    }

    private void stopHolding() {
        state = State.IDLE;
        if (renewTask != null) {
            renewTask.cancel(false);
            renewTask = null;
        }
        leaseId = 0;
    }

    private void revoke(long lease) {
        if (lease == 0 || client == null) {
            return;
        }
        client.getLeaseClient()
                .revoke(lease)
                .orTimeout(leaseMs, TimeUnit.MILLISECONDS)
                .whenComplete((r, err) -> {
                    if (err != null) {
                        LOG.info(
                                "{}: revoking lease {} failed ({}); it expires on its own within {} s",
                                description(),
                                Long.toHexString(lease),
                                unwrap(err).toString(),
                                spec.ttl());
                    }
                });
    }

    private Client client() {
        if (client == null) {
            String scheme = tls.isPresent() ? "https://" : "http://";
            String[] urls = spec.endpoints().stream().map(e -> scheme + e).toArray(String[]::new);
            ClientBuilder b = Client.builder();
            tls.ifPresent(b::sslContext);
            spec.credentials().ifPresent(c -> b.user(bytes(c.user())).password(bytes(password.orElseThrow())));
            client = b.endpoints(urls)
                    .connectTimeout(Duration.ofMillis(Math.min(acquireTimeoutMs, 3_000)))
                    .keepaliveTime(Duration.ofSeconds(Math.max(1, spec.ttl() / 3)))
                    .keepaliveTimeout(Duration.ofSeconds(Math.max(1, spec.ttl() / 3)))
                    .retryMaxDuration(Duration.ofMillis(acquireTimeoutMs))
                    .build();
        }
        return client;
    }

    /**
     * What went wrong, for the log and `jctdb health`: the words an administrator acts on first
     * (gRPC's UNAUTHENTICATED alone says nothing about the password file), then every distinct
     * message of the cause chain.
     */
    String explain(Throwable t) {
        StringBuilder chain = new StringBuilder();
        for (Throwable c = t; c != null && chain.length() < 1000; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.toString();
            if (chain.indexOf(m) < 0) {
                chain.append(chain.length() == 0 ? "" : " <- ").append(m);
            }
        }
        String all = chain.toString();
        String hint = "";
        if (all.contains("UNAUTHENTICATED") || all.contains("authentication failed")) {
            hint = spec.credentials()
                    .map(c -> "authentication failed for etcd user " + c.user() + " (wrong password in password-file="
                            + c.passwordFile() + ", or no such user)")
                    .orElse("authentication failed: the server has auth enabled; give user= and password-file=");
        } else if (all.contains("PERMISSION_DENIED") || all.contains("permission denied")) {
            hint = "permission denied: the etcd user needs read-write on " + spec.key();
        } else if (all.contains("PKIX") || all.contains("certificate") || all.contains("SSLHandshake")) {
            hint = spec.tls()
                    .map(x -> "TLS handshake failed: the server's certificate is not trusted by cacert=" + x.caCert()
                            + ", or it refused our client certificate")
                    .orElse("TLS handshake failed: the server speaks TLS; give cacert=");
        }
        return hint.isEmpty() ? all : hint + ": " + all;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** What the lock key / node holds: "jctdbd pid PID on HOST". */
    static String holderName() {
        return "jctdbd pid " + ProcessHandle.current().pid() + " on " + hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "?";
        }
    }
}
