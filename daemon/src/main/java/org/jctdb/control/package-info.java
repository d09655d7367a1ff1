/**
 * The control socket server (`jctdb` talks to it). Shell: a Unix socket.
 */
package org.jctdb.control;
