/**
 * Test tools, never on the daemon's class path: local clusters, the fault lab in network
 * namespaces, the freezable cluster filesystem, local etcd and ZooKeeper servers.
 */
package org.jctdb.lab;
