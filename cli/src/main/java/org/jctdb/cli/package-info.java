/**
 * The `jctdb` command: parsing and CTDB's output formats. Runs in the `jctdb` process for offline
 * commands and inside the daemon for the others; decides nothing itself.
 */
package org.jctdb.cli;
