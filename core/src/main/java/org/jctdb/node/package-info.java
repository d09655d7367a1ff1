/**
 * The node's own state (flags, health verdicts, what each peer reported) as a pure core: inputs
 * in, ordered effects out. Pure: no sockets, threads, clocks or files.
 */
package org.jctdb.node;
