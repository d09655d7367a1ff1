/**
 * Samba's libtdb through JNA: each TDB file opened once per process, chain locks only tried, waits
 * done by a helper process. Shell: files and native code.
 */
package org.jctdb.database;
