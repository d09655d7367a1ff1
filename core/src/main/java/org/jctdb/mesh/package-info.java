/**
 * The node mesh's messages: one sealed family, decoded once per frame, with its codec (compact binary for the hot messages, JSON for the rest). Pure.
 */
package org.jctdb.mesh;
