/**
 * The injected clock. Pure.
 */
package org.jctdb.common;
