/**
 * The node mesh's messages: one sealed family, decoded once per frame, with its JSON codec. Pure.
 */
package org.jctdb.mesh;
