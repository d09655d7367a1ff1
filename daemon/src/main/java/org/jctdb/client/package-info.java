/**
 * CTDB's client socket: smbd, winbindd and the ctdb tool connect here; controls, calls, messages
 * and traverses, database work on one thread. Shell.
 */
package org.jctdb.client;
