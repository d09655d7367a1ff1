package org.jctdb.protocol.ctdb;

/** Bytes that are not a well-formed CTDB packet or control payload; the message says what is wrong. */
public final class BadPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadPacketException(String message) {
        super(message);
    }
}
