package org.jctdb.lock;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.jctdb.common.Ticker;
import org.jctdb.leader.LockLease;
import org.jctdb.leader.LockResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster lock as Apache Curator's {@link InterProcessMutex} under a ZooKeeper path: an
 * ephemeral sequential node; the lowest one holds the lock. An attempt does not wait in line: a
 * node that is not first is deleted again and the attempt answers CONTENTION. The node's
 * sequence number is the fencing token (the lock path itself is created PERSISTENT, never as a
 * container that the server could delete and recreate, which would restart the sequence).
 *
 * <p>The lease is the ZooKeeper session: the server deletes our node when it has heard nothing
 * from us for the negotiated session timeout S. Every S/3 we read our node back (it must exist
 * and belong to our session, or LOST); a read <em>sent</em> at t and answered proves the server
 * heard us at t or later, so the session lasts at least until t + S by our clock; we may act until
 * that minus {@link LockSpec#marginMillis}. Curator's LOST connection state is LOST.
 *
 * <p>Blocking Curator calls (connect, acquire, release, which must run on the acquiring thread)
 * run on this lock's own thread; the re-checks are asynchronous. No daemon thread ever waits here.
 */
public final class ZooKeeperLock implements ClusterLock {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLock.class);
    /** The lock node's data: who holds it, for people and tests looking at the service. */
    static final String HOLDER = EtcdLock.holderName();

    /** Exposes the path of the node Curator created for us. */
    private static final class SequencedMutex extends InterProcessMutex {
        SequencedMutex(CuratorFramework client, String path) {
            super(client, path);
        }

        String nodePath() {
            return getLockPath();
        }

        @Override
        protected byte[] getLockNodeBytes() {
            return HOLDER.getBytes(StandardCharsets.UTF_8);
        }
    }

    private enum State {
        IDLE,
        ACQUIRING,
        HELD
    }

    private final LockSpec.ZooKeeper spec;
    private final LockListener listener;
    private final Ticker clock;
    private final long acquireTimeoutMs;
    private final ExecutorService ops;
    private final ScheduledExecutorService timer;
    private final Optional<byte[]> digest; // user:password for ZooKeeper's digest scheme

    // guarded by this
    private CuratorFramework client;
    private SequencedMutex mutex;
    private State state = State.IDLE;
    private long attempt;
    private String node;
    private long token;
    private long sessionId;
    private long sessionMs;
    private long confirmedUntil;
    private boolean checking;
    private long checkSentAt;
    private long nextCheckAt;
    private boolean unresponsive;
    private ScheduledFuture<?> watchTask;
    private boolean closed;

    public ZooKeeperLock(LockSpec.ZooKeeper spec, LockListener listener, Ticker clock, long acquireTimeoutMs) {
        this.spec = spec;
        this.listener = listener;
        this.clock = clock;
        this.acquireTimeoutMs = acquireTimeoutMs;
        // Read now, at daemon start: a bad file stops the daemon with its name rather than failing every attempt.
        this.digest = spec.credentials()
                .map(c -> (c.user() + ":" + LockFiles.password("zookeeper", c)).getBytes(StandardCharsets.UTF_8));
        this.ops = Executors.newSingleThreadExecutor(r -> daemonThread(r, "cluster-lock-zookeeper"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "cluster-lock-zookeeper-timer"));
    }

    @Override
    public String description() {
        return spec.describe();
    }

    @Override
    public void acquire() {
        long id;
        synchronized (this) {
            if (closed) {
                listener.onLockResult(LockResult.ERROR, description() + ": lock is closed");
                return;
            }
            if (state == State.HELD) {
                listener.onLockTaken(description() + ": already held", new LockLease(token, confirmedUntil - margin()));
                return;
            }
            if (state == State.ACQUIRING) {
                return;
            }
            state = State.ACQUIRING;
            id = ++attempt;
        }
        timer.schedule(() -> deadlinePassed(id), acquireTimeoutMs, TimeUnit.MILLISECONDS);
        ops.execute(() -> attempt(id));
    }

    @Override
    public void release() {
        synchronized (this) {
            attempt++;
            if (state != State.HELD && state != State.ACQUIRING) {
                return;
            }
            if (state == State.HELD) {
                LOG.info("{}: releasing {}", description(), node);
            }
            stopHolding();
        }
        ops.execute(this::releaseMutex);
    }

    @Override
    public void close() {
        release();
        synchronized (this) {
            closed = true;
        }
        ops.execute(() -> {
            CuratorFramework c;
            synchronized (this) {
                c = client;
                client = null;
            }
            if (c != null) {
                c.close();
            }
            timer.shutdown();
        });
        ops.shutdown();
    }

    // ------------------------------------------------------------------ on the ops thread

    private void attempt(long id) {
        try {
            CuratorFramework c = client();
            if (!c.blockUntilConnected((int) acquireTimeoutMs, TimeUnit.MILLISECONDS)) {
                finishAttempt(id, LockResult.TIMEOUT, "not connected within " + acquireTimeoutMs + " ms");
                return;
            }
            try {
                c.create()
                        .creatingParentsIfNeeded()
                        .withMode(CreateMode.PERSISTENT)
                        .forPath(spec.path());
            } catch (KeeperException.NodeExistsException e) {
                // normal
            }
            long sentAt = clock.nowMillis();
            SequencedMutex m = new SequencedMutex(c, spec.path());
            boolean got = m.acquire(0, TimeUnit.MILLISECONDS);
            if (!got) {
                finishAttempt(id, LockResult.CONTENTION, "held by another node");
                return;
            }
            String path = m.nodePath();
            long seq = sequenceOf(path);
            long session = c.getZookeeperClient().getZooKeeper().getSessionId();
            long sMs = c.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
            if (sMs <= 0) {
                sMs = spec.session() * 1000L;
            }
            synchronized (this) {
                if (id != attempt || state != State.ACQUIRING) {
                    releaseQuietly(m);
                    return;
                }
                long end = sentAt + sMs;
                if (clock.nowMillis() >= end - LockSpec.marginMillis(sMs)) {
                    state = State.IDLE;
                    releaseQuietly(m);
                    listener.onLockResult(LockResult.TIMEOUT, description() + ": taken too late to use the session");
                    return;
                }
                mutex = m;
                node = path;
                token = seq;
                sessionId = session;
                sessionMs = sMs;
                confirmedUntil = end;
                checking = false;
                unresponsive = false;
                nextCheckAt = sentAt + LockSpec.renewMillis(sMs);
                state = State.HELD;
                watchTask = timer.scheduleWithFixedDelay(
                        this::watch, 100, Math.max(100, LockSpec.renewMillis(sMs) / 4), TimeUnit.MILLISECONDS);
                listener.onLockTaken(
                        description() + ": taken, node " + path + " (fencing token " + seq + "), session 0x"
                                + Long.toHexString(session) + " of " + sMs + " ms",
                        new LockLease(seq, end - margin()));
            }
        } catch (KeeperException.NoAuthException e) {
            finishAttempt(
                    id,
                    LockResult.ERROR,
                    "the server refused access to " + e.getPath() + " (NoAuth): "
                            + spec.credentials()
                                    .map(c -> "wrong password for digest user " + c.user()
                                            + ", or the path belongs to another user")
                                    .orElse("the path is protected by an ACL; give user= and password-file="));
        } catch (Exception e) {
            LOG.warn("{}: attempt failed: {}", description(), e.toString());
            finishAttempt(id, LockResult.ERROR, "attempt failed: " + e);
        }
    }

    private void releaseMutex() {
        SequencedMutex m;
        synchronized (this) {
            if (state == State.HELD) {
                return; // acquired again since
            }
            m = mutex;
            mutex = null;
        }
        if (m != null) {
            releaseQuietly(m);
        }
    }

    /** Deletes our node; when that fails, ends the session so the server deletes it (now, or at expiry). */
    private void releaseQuietly(SequencedMutex m) {
        try {
            if (m.isOwnedByCurrentThread()) {
                m.release();
            }
        } catch (Exception e) {
            LOG.info(
                    "{}: release failed ({}); closing the session so the server drops the node",
                    description(),
                    e.toString());
            CuratorFramework c;
            synchronized (this) {
                c = client;
                client = null;
            }
            if (c != null) {
                c.close();
            }
        }
    }

    private void finishAttempt(long id, LockResult result, String detail) {
        synchronized (this) {
            if (id != attempt || state != State.ACQUIRING) {
                return;
            }
            state = State.IDLE;
        }
        String text = description() + ": " + detail;
        if (result != LockResult.CONTENTION) {
            LOG.warn(text);
        }
        listener.onLockResult(result, text);
    }

    private synchronized CuratorFramework client() {
        if (client == null) {
            int sMs = spec.session() * 1000;
            CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder();
            // With credentials, every node we create (the lock path, the lock nodes) is for our digest identity only:
            // a client without them (or with a wrong password) can neither read nor delete them.
            digest.ifPresent(d -> b.authorization("digest", d).aclProvider(new CreatorOnly()));
            CuratorFramework c = b.connectString(spec.connectString())
                    .sessionTimeoutMs(sMs)
                    .connectionTimeoutMs((int) Math.min(acquireTimeoutMs, sMs))
                    .retryPolicy(new RetryNTimes(1, 200))
                    .build();
            c.getConnectionStateListenable().addListener((cf, st) -> connectionChanged(cf, st));
            c.start();
            client = c;
        }
        return client;
    }

    // ------------------------------------------------------------------ holding (timer thread, callbacks)

    private void deadlinePassed(long id) {
        finishAttempt(id, LockResult.TIMEOUT, "no answer within " + acquireTimeoutMs + " ms");
    }

    private void watch() {
        String path;
        long sent;
        CuratorFramework c;
        synchronized (this) {
            if (state != State.HELD) {
                return;
            }
            long now = clock.nowMillis();
            if (now >= confirmedUntil) {
                lose(
                        "no re-check answered before the session ran out by this node's clock; the server may have expired it");
                return;
            }
            if (checking) {
                if (!unresponsive && now - checkSentAt >= LockSpec.renewMillis(sessionMs)) {
                    unresponsive = true;
                    String text = description() + ": re-check sent " + (now - checkSentAt) + " ms ago has not answered";
                    LOG.warn(text);
                    listener.onLockResult(LockResult.UNRESPONSIVE, text);
                }
                return;
            }
            if (now < nextCheckAt) {
                return;
            }
            checking = true;
            checkSentAt = now;
            nextCheckAt = now + LockSpec.renewMillis(sessionMs);
            path = node;
            sent = now;
            c = client;
        }
        if (c == null) {
            return;
        }
        try {
            c.checkExists()
                    .inBackground((cf, event) -> checked(path, sent, event.getResultCode(), event.getStat()), timer)
                    .forPath(path);
        } catch (Exception e) {
            checked(path, sent, KeeperException.Code.SYSTEMERROR.intValue(), null);
        }
    }

    private synchronized void checked(String path, long sentAt, int rc, Stat stat) {
        if (state != State.HELD || !path.equals(node)) {
            return;
        }
        checking = false;
        KeeperException.Code code = KeeperException.Code.get(rc);
        if (code == KeeperException.Code.OK && stat != null) {
            if (stat.getEphemeralOwner() != sessionId) {
                lose("lock node " + path + " belongs to session 0x" + Long.toHexString(stat.getEphemeralOwner()));
                return;
            }
            confirmedUntil = Math.max(confirmedUntil, sentAt + sessionMs);
            listener.onLockChecked(clock.nowMillis() - sentAt);
            listener.onLeaseRenewed(new LockLease(token, confirmedUntil - margin()));
            if (unresponsive) {
                unresponsive = false;
                listener.onLockResult(LockResult.RESPONSIVE_AGAIN, description() + ": re-check answers again");
            }
            return;
        }
        if (code == KeeperException.Code.NONODE || (code == KeeperException.Code.OK && stat == null)) {
            lose("lock node " + path + " was deleted");
            return;
        }
        if (code == KeeperException.Code.SESSIONEXPIRED) {
            lose("the ZooKeeper session expired");
            return;
        }
        LOG.warn("{}: re-check of {} failed: {}", description(), path, code);
        if (!unresponsive) {
            unresponsive = true;
            listener.onLockResult(LockResult.UNRESPONSIVE, description() + ": re-check failed: " + code);
        }
        nextCheckAt = clock.nowMillis() + 200;
    }

    private void connectionChanged(CuratorFramework c, ConnectionState st) {
        LOG.info("{}: connection {}", description(), st);
        synchronized (this) {
            if (c != client || state != State.HELD) {
                return;
            }
            if (st == ConnectionState.LOST) {
                lose("ZooKeeper connection LOST (session expired or presumed expired)");
            } else if (st == ConnectionState.SUSPENDED && !unresponsive) {
                unresponsive = true;
                listener.onLockResult(LockResult.UNRESPONSIVE, description() + ": connection suspended");
            }
        }
    }

    private void lose(String why) {
        stopHolding();
        ops.execute(this::releaseMutex);
        String text = description() + ": " + why;
        LOG.warn(text);
        listener.onLockResult(LockResult.LOST, text);
    }

    private void stopHolding() {
        state = State.IDLE;
        if (watchTask != null) {
            watchTask.cancel(false);
            watchTask = null;
        }
        checking = false;
        node = null;
    }

    private long margin() {
        return LockSpec.marginMillis(sessionMs);
    }

    /** The counter Curator's node name ends with (ZooKeeper's 10-digit sequence suffix). */
    static long sequenceOf(String path) {
        int i = path.length();
        while (i > 0 && Character.isDigit(path.charAt(i - 1))) {
            i--;
        }
        if (path.length() - i < 10) {
            throw new IllegalStateException("lock node " + path + " has no sequence number");
        }
        return Long.parseLong(path.substring(i)) + 1; // tokens start at 1
    }

    /** Every node only for the creator (our digest identity). */
    private static final class CreatorOnly implements ACLProvider {
        @Override
        public List<ACL> getDefaultAcl() {
            return ZooDefs.Ids.CREATOR_ALL_ACL;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            return ZooDefs.Ids.CREATOR_ALL_ACL;
        }
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
