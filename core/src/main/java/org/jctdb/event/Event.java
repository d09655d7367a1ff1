package org.jctdb.event;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The events a JCTDB node runs through its event scripts, with their argument shapes. */
public enum Event {
    INIT(0, true),
    SETUP(0, true),
    STARTUP(0, false),
    STARTRECOVERY(0, true),
    RECOVERED(0, false),
    TAKEIP(3, false),
    RELEASEIP(3, true),
    UPDATEIP(4, false),
    MONITOR(0, false),
    IPREALLOCATED(0, true),
    SHUTDOWN(0, true);

    private final int argCount;
    private final boolean allowedInRecovery;

    Event(int argCount, boolean allowedInRecovery) {
        this.argCount = argCount;
        this.allowedInRecovery = allowedInRecovery;
    }

    /** The name scripts receive as $1 and the CLI accepts. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int argCount() {
        return argCount;
    }

    /** Whether the daemon may run this event while the cluster is in recovery mode (as CTDB does). */
    public boolean allowedInRecovery() {
        return allowedInRecovery;
    }

    public static Optional<Event> parse(String name) {
        for (Event e : values()) {
            if (e.wireName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Returns null when the arguments fit this event, otherwise a message saying what is wrong. */
    public String checkArgs(List<String> args) {
        if (args.size() == argCount) {
            for (String a : args) {
                if (a.isEmpty() || a.chars().anyMatch(Character::isWhitespace)) {
                    return "event " + wireName() + ": argument '" + a + "' is empty or contains whitespace";
                }
            }
            return null;
        }
        String shape = switch (this) {
            case TAKEIP, RELEASEIP -> "IFACE IP MASKBITS";
            case UPDATEIP -> "OLDIFACE NEWIFACE IP MASKBITS";
            default -> "no arguments";
        };
        return "event " + wireName() + " takes " + shape + ", got " + args.size() + " argument(s)";
    }
}
