/**
 * The control socket's client (what `jctdb` uses to reach its daemon). Shell: a Unix socket.
 */
package org.jctdb.control;
