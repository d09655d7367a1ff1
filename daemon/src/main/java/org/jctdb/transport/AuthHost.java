package org.jctdb.transport;

import java.net.InetAddress;

/** What {@link AuthHandler} needs from its mesh; tests give their own. Called on the I/O thread. */
interface AuthHost {
    MeshSettings settings();

    /** Remembers a dialer's nonce; false if it was seen before (a replayed challenge). */
    boolean firstUseOfNonce(byte[] nonce);

    /** A connection that was refused before it authenticated; logged, rate-limited. */
    void refused(InetAddress remote, String why);
}
