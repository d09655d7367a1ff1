package org.jctdb.os;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * {@code getsid(2)} through JNA: the session of any process of this pid namespace in one system
 * call, where reading its /proc/PID/stat costs an open, a read the kernel formats (it sums the
 * CPU time of every thread) and a close, about 10 µs.
 */
final class SessionIds {
    private static final boolean AVAILABLE = load();

    private SessionIds() {}

    static boolean available() {
        return AVAILABLE;
    }

    /** The session id of {@code pid}, or -1 when there is no such process. Only when {@link #available()}. */
    static int of(int pid) {
        return getsid(pid);
    }

    private static boolean load() {
        try {
            Native.register(SessionIds.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false; // ProcFs reads the session from /proc/PID/stat instead
        }
    }

    private static native int getsid(int pid);
}
