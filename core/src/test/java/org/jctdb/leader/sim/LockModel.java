package org.jctdb.leader.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * A model of an fcntl write lock on a file in shared storage. A lock belongs to a holder process
 * (a node's lock helper, named by node and incarnation) and to one inode; it lasts until that
 * process releases it or dies. A paused process still holds its lock. Replacing or removing the
 * file gives later openers a new inode, so an old holder keeps a lock nobody else contends for.
 */
final class LockModel {
    record Holder(int node, int incarnation) {}

    private int currentInode = 1;
    private final Map<Integer, Holder> holders = new HashMap<>();
    private boolean hung;

    int currentInode() {
        return currentInode;
    }

    boolean hung() {
        return hung;
    }

    void setHung(boolean hung) {
        this.hung = hung;
    }

    /** The file was removed or replaced: the next open sees a fresh inode. */
    void replaceFile() {
        currentInode++;
    }

    /** Non-blocking attempt on the current inode. Returns the inode taken, or -1 on contention. */
    int tryLock(Holder who) {
        Holder h = holders.get(currentInode);
        if (h != null && !h.equals(who)) {
            return -1;
        }
        holders.put(currentInode, who);
        return currentInode;
    }

    /** The process exited or was killed: the kernel drops all its locks. */
    void processGone(Holder who) {
        holders.values().removeIf(who::equals);
    }

    /** The inode this process holds a lock on, or -1. */
    int heldInode(Holder who) {
        for (Map.Entry<Integer, Holder> e : holders.entrySet()) {
            if (e.getValue().equals(who)) {
                return e.getKey();
            }
        }
        return -1;
    }
}
