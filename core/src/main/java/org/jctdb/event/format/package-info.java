/**
 * CTDB 4.17's output formats for event status and script lists. Pure.
 */
package org.jctdb.event.format;
