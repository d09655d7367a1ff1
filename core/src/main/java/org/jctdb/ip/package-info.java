/**
 * Public IP allocation (CTDB's algorithms, one class each) and the takeover and hosting state
 * machines. Pure: no Netty, files or threads (ArchitectureTest).
 */
package org.jctdb.ip;
