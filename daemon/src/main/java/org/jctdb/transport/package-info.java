/**
 * The node mesh on Netty: one TCP connection per pair, handshakes, frames, keepalives
 * (IdleStateHandler), typed disconnect causes. Shell: it decides nothing.
 */
package org.jctdb.transport;
