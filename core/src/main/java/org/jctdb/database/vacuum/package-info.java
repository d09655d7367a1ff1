/** Vacuuming of volatile databases: the delete queue and the pure rules deciding what may be deleted. */
package org.jctdb.database.vacuum;
