/**
 * A client of CTDB's client protocol for the database commands: a Unix socket to the node's CTDB
 * client socket (shell), the ctdb tool's transactions on persistent databases and its backup file
 * format (pure).
 */
package org.jctdb.cli.ctdb;
