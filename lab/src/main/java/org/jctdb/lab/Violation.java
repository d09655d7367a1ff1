package org.jctdb.lab;

/** A line of violations.jsonl: {@code invariant} broken at {@code t}. */
public record Violation(long t, String invariant, String detail) {
    public static final String ADDRESS_IN_TWO_PLACES = "address-in-two-places";
    public static final String TWO_LOCK_HOLDERS = "two-lock-holders";
    public static final String DUPLICATE_HUNG_PROBE = "duplicate-hung-probe";
    public static final String NOT_HEALED_IN_BOUND = "not-healed-in-bound";
    public static final String DB_LOST_WRITE = "db-lost-write";
    public static final String DB_TWO_DATA_MASTERS = "db-two-data-masters";
    public static final String DB_NOT_RECOVERED = "db-not-recovered";

    /** One line for humans: "+12.300 s address-in-two-places: 198.18.7.101 on nodes 0 and 2". */
    public String line() {
        return String.format("+%d.%03d s %s: %s", t / 1000, t % 1000, invariant, detail);
    }
}
