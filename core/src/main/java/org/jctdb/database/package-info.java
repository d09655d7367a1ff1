/**
 * CTDB's databases as values: the 24-byte record header, database ids (Jenkins hash of the name),
 * kinds and their TDB open flags, directories. Pure.
 */
package org.jctdb.database;
