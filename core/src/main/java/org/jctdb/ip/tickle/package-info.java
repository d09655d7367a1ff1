/**
 * Tickles: the TCP connections clients have to each public address, shared between nodes so the
 * node that takes an address over can send them tickle ACKs, and the decisions about which
 * connections to tickle or reset. Pure: no sockets, files or threads.
 */
package org.jctdb.ip.tickle;
