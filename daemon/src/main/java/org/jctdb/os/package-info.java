/**
 * /proc scans and signals for the process trees the daemon starts. Shell.
 */
package org.jctdb.os;
