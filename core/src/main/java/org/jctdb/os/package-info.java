/**
 * Process information read from /proc, as values and a parser. Pure.
 */
package org.jctdb.os;
