package org.jctdb.common;

/**
 * A monotonic clock in milliseconds. Core logic reads time only through this, so the
 * simulator can run it on virtual time.
 */
@FunctionalInterface
public interface Ticker {
    long nowMillis();

    /** The real monotonic clock of this JVM. */
    Ticker SYSTEM = () -> System.nanoTime() / 1_000_000L;
}
