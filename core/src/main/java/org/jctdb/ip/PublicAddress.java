package org.jctdb.ip;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One public address as the nodes report it.
 *
 * @param address     the address
 * @param currentPnn  the node hosting it now, or -1. Only trusted when that node itself lists
 *                    the address (it is in {@code knownOn}), as CTDB only trusts a node's word
 *                    about addresses on itself
 * @param knownOn     nodes whose public_addresses file lists the address
 * @param availableOn nodes that report it available (e.g. an interface for it is up); must be
 *                    a subset of {@code knownOn}. Node flags and run states are applied on top
 */
public record PublicAddress(IpAddress address, int currentPnn, Set<Integer> knownOn, Set<Integer> availableOn) {

    public PublicAddress {
        Objects.requireNonNull(address, "address");
        knownOn = Collections.unmodifiableSet(new TreeSet<>(knownOn));
        availableOn = Collections.unmodifiableSet(new TreeSet<>(availableOn));
        if (!knownOn.containsAll(availableOn)) {
            throw new IllegalArgumentException(address + ": available on nodes that do not list it");
        }
    }

    /** An address available on every node that lists it. */
    public static PublicAddress of(IpAddress address, int currentPnn, Set<Integer> knownOn) {
        return new PublicAddress(address, currentPnn, knownOn, knownOn);
    }
}
