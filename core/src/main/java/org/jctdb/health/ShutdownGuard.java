package org.jctdb.health;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides the optional last resort: shut the node down once storage has been HUNG for
 * {@code afterMillis}. Pure. The same test runs when the action is decided and again at the
 * moment it would be carried out, with the state of that moment, so storage that came back
 * in between cancels it (the stale "df then shutdown" of the seed report cannot happen here).
 *
 * <p>Evidence must be live: the state is HUNG for long enough <em>and</em> the unanswered
 * probe's process is alive right now. When storage returns, a probe stuck in the kernel
 * finishes at once, before any new probe could answer, so its exit alone stops the action.
 */
public final class ShutdownGuard {
    private final boolean enabled;
    private final long afterMillis;
    private final Set<String> fired = new HashSet<>();

    public ShutdownGuard(boolean enabled, long afterMillis) {
        this.enabled = enabled;
        this.afterMillis = afterMillis;
    }

    public static ShutdownGuard disabled() {
        return new ShutdownGuard(false, Long.MAX_VALUE);
    }

    public boolean enabled() {
        return enabled;
    }

    public long afterMillis() {
        return afterMillis;
    }

    /**
     * Why the action is due now, or empty. Stateless: safe to call from any thread.
     *
     * @param unansweredProbeAlive whether the path's current probe process is alive, asked of the OS
     */
    public Optional<String> due(long now, Collection<PathStatus> paths, Predicate<Path> unansweredProbeAlive) {
        if (!enabled) {
            return Optional.empty();
        }
        for (PathStatus p : paths) {
            long hungFor = now - p.sinceMillis();
            if (p.state() == ProbeState.HUNG && hungFor >= afterMillis && unansweredProbeAlive.test(p.path())) {
                return Optional.of("cluster filesystem " + p.path() + " has been hung for " + hungFor / 1000
                        + " s (hung storage timeout " + afterMillis / 1000 + " s)");
            }
        }
        return Optional.empty();
    }

    /** Like {@link #due}, but says yes once per hung episode (a path and the start of its hang). */
    public Optional<String> decide(long now, Collection<PathStatus> paths, Predicate<Path> unansweredProbeAlive) {
        Optional<String> why = due(now, paths, unansweredProbeAlive);
        if (why.isEmpty()) {
            return why;
        }
        boolean fresh = false;
        for (PathStatus p : paths) {
            if (p.state() == ProbeState.HUNG && now - p.sinceMillis() >= afterMillis) {
                fresh |= fired.add(p.path() + "@" + p.sinceMillis());
            }
        }
        return fresh ? why : Optional.empty();
    }
}
