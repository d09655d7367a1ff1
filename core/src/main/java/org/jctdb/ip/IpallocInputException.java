package org.jctdb.ip;

/** Bad IP-allocation test input; the message names the offending line. */
public final class IpallocInputException extends Exception {

    public IpallocInputException(String message) {
        super(message);
    }
}
