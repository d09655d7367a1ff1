/**
 * CTDB 4.17's client protocol (the Unix socket smbd, winbindd and the ctdb tool speak): header,
 * packets, control opcodes and payloads, with golden-byte tests. Pure: no sockets.
 */
package org.jctdb.protocol.ctdb;
