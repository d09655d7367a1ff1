/**
 * CTDB's node flags and the storage summary each node reports. Pure.
 */
package org.jctdb.protocol;
