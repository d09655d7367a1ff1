/**
 * CTDB's configuration files (ctdb.conf, nodes, public_addresses, ctdb.tunables), the node's
 * layout and the installation. Pure apart from reading those files; bad input names the file and
 * line.
 */
package org.jctdb.config;
