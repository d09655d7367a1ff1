/**
 * The event script engine: script sessions with deadlines, whole-session kills, hung and
 * unkillable reports. Shell: processes.
 */
package org.jctdb.event;
