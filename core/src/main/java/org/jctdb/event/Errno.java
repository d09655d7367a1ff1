package org.jctdb.event;

/** Linux errno values used as status summaries and exit codes, as CTDB's tools use them. */
public final class Errno {
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EIO = 5;
    public static final int ENOENT = 2;
    public static final int ENOEXEC = 8;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int ETIMEDOUT = 110;
    public static final int ECANCELED = 125;

    private Errno() {}

    /** strerror(3) text for the values above (glibc wording). */
    public static String describe(int errno) {
        return switch (errno) {
            case EINTR -> "Interrupted system call";
            case EAGAIN -> "Resource temporarily unavailable";
            case EIO -> "Input/output error";
            case ENOENT -> "No such file or directory";
            case ENOEXEC -> "Exec format error";
            case EBUSY -> "Device or resource busy";
            case EINVAL -> "Invalid argument";
            case ETIMEDOUT -> "Connection timed out";
            case ECANCELED -> "Operation canceled";
            default -> "Unknown error " + errno;
        };
    }
}
