package org.jctdb.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * How long the lasting faults of a campaign last ({@code jctdb lab run --profile}). Short faults
 * (2–10 s, the first campaigns) end before most detection times, so they measure overlap and
 * recovery but rarely a failover; long ones (30–180 s) let detection and failover happen inside
 * each fault; mixed draws each fault from one or the other, half and half.
 */
public enum FaultProfile {
    SHORT(2_000, 10_000),
    LONG(30_000, 180_000),
    MIXED(2_000, 180_000);

    private final int minMs;
    private final int maxMs;

    FaultProfile(int minMs, int maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    public int minMs() {
        return minMs;
    }

    public int maxMs() {
        return maxMs;
    }

    /** The duration of one lasting fault. SHORT draws exactly as schedules did before profiles existed. */
    int draw(Random r) {
        FaultProfile p = this;
        if (this == MIXED) {
            p = r.nextBoolean() ? SHORT : LONG;
        }
        return p.minMs + r.nextInt(p.maxMs - p.minMs + 1);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FaultProfile parse(String s) {
        return Arrays.stream(values())
                .filter(p -> p.wire().equals(s.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--profile must be short, long or mixed, not " + s));
    }
}
