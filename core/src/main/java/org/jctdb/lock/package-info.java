/**
 * The cluster lock as a port: what a lock reports and how `[cluster] cluster lock` is parsed.
 * Pure; the implementations (helper processes, etcd, ZooKeeper) live in the daemon module's half
 * of this package.
 */
package org.jctdb.lock;
