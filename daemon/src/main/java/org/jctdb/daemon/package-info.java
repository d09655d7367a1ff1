/**
 * The composition root: the core thread's inbox, the drivers that carry out the pure cores'
 * effects, node administration and the daemon's entry point. Shell.
 */
package org.jctdb.daemon;
