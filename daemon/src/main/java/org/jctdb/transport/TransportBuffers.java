package org.jctdb.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffers of the node mesh and the CTDB client socket: a small pool of direct memory. The daemon's default
 * allocator (bin/jctdbd: unpooled, to keep resident memory small) gives every socket read and every frame a fresh
 * direct buffer, and with it zeroed memory, a direct-memory reservation and a {@code Cleaner}: about 4 % of the I/O
 * thread during a record migration ring, two buffers per message. This pool reuses them: one arena of 128 KiB
 * chunks (a chunk that filled beyond a quarter is returned to the system once it is empty again, so only a chunk
 * or two stay; buffers larger than a chunk, such as recovery fragments, are allocated outside it as before) and a
 * small cache on the I/O thread only. A leaked buffer would stay lost to the pool (an unpooled one came back
 * through its Cleaner): paranoid leak detection found none (docs/design/databases.md).
 */
public final class TransportBuffers {
    private static final int PAGE_BYTES = 4096;
    /** Chunk = page << order: 128 KiB. */
    private static final int CHUNK_ORDER = 5;

    private TransportBuffers() {}

    /** A new pool; each user (mesh, client socket) has its own, shared by its channels. */
    public static ByteBufAllocator create() {
        return new PooledByteBufAllocator(
                true, // direct: the epoll transport writes and reads direct memory without copying
                0, // no heap arena: heap buffers (rare here) stay unpooled
                1,
                PAGE_BYTES,
                CHUNK_ORDER,
                32, // cached small buffers per size class, on the event loop's thread only
                8,
                false);
    }
}
