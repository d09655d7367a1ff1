/**
 * What commands may ask of a daemon (DaemonApi) and the snapshots they read (ClusterView,
 * NodeView, IpSnapshot), with the control socket's framing. Pure; the socket server is in the
 * daemon module, the client in the cli module.
 */
package org.jctdb.control;
