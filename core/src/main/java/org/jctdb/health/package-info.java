/**
 * Storage health as policy: probe states, the verdict rules, the last-resort guard. Pure; the
 * monitor that runs probe processes is in the daemon module's half of this package.
 */
package org.jctdb.health;
