package org.jctdb.mesh;

/** A frame from a peer that is not a valid message. The peer is dropped; nothing else breaks. */
public final class BadMessageException extends Exception {
    public BadMessageException(String message) {
        super(message);
    }
}
