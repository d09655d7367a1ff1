/**
 * Cluster lock implementations: our fcntl helper and CTDB's mutex-helper protocol (child
 * processes), etcd and ZooKeeper clients. Shell: processes and network, on their own threads.
 */
package org.jctdb.lock;
