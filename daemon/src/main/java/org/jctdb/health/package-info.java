/**
 * The storage probe monitor: one isolated probe process per path with a deadline. Shell:
 * processes.
 */
package org.jctdb.health;
