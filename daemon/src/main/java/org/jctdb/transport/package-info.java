/**
 * The node mesh on Netty: one TCP connection per pair, handshakes, frames, keepalives
 * (checked on the timer grid), typed disconnect causes. Shell: it decides nothing.
 */
package org.jctdb.transport;
