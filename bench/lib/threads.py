#!/usr/bin/env python3
"""threads.py SECONDS ROOT_PID...: per thread of each root's process tree (the process and its
descendants), CPU time from /proc/PID/task/TID/schedstat and voluntary context switches (wake-ups
after a sleep) over the window, then the tree's total. Threads that started or ended inside the
window count from or up to their first or last sample."""
import os
import sys
import time


def tree(pid):
    """pid and every descendant, from /proc/PID/task/TID/children."""
    out = [pid]
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tids:
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                for child in f.read().split():
                    out += tree(int(child))
        except OSError:
            pass
    return out


def sample(roots):
    """(root, pid, tid) -> (thread name, CPU ns, voluntary switches)."""
    out = {}
    for root in roots:
        for pid in tree(root):
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for t in tids:
                base = f"/proc/{pid}/task/{t}"
                try:
                    with open(f"{base}/schedstat") as f:
                        ns = int(f.read().split()[0])
                    with open(f"{base}/comm") as f:
                        name = f.read().strip()
                    switches = 0
                    with open(f"{base}/status") as f:
                        for line in f:
                            if line.startswith("voluntary_ctxt_switches"):
                                switches = int(line.split()[1])
                    out[(root, pid, int(t))] = (name, ns, switches)
                except OSError:
                    pass  # the thread ended between listing and reading
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: threads.py SECONDS ROOT_PID...")
    try:
        secs = float(argv[1])
        roots = [int(p) for p in argv[2:]]
    except ValueError:
        sys.exit(f"threads.py: not a number of seconds and process ids: {' '.join(argv[1:])}")
    before = sample(roots)
    time.sleep(secs)
    after = sample(roots)
    for root in roots:
        rows = []
        total_ms = 0.0
        total_wakeups = 0.0
        for key, (name, ns, switches) in after.items():
            if key[0] != root:
                continue
            _, ns0, switches0 = before.get(key, (name, 0, 0))
            ms = (ns - ns0) / 1e6 / secs
            wakeups = (switches - switches0) / secs
            total_ms += ms
            total_wakeups += wakeups
            if ms > 0.001 or wakeups > 0.01:
                rows.append((ms, wakeups, name, key[1], key[2]))
        print(f"== tree {root}: {total_ms:.3f} ms/s = {total_ms / 10:.3f} % of a core, {total_wakeups:.2f} wake-ups/s")
        for ms, wakeups, name, pid, tid in sorted(rows, reverse=True):
            print(f"  {ms:7.3f} ms/s {wakeups:6.2f} w/s  {name} ({pid}/{tid})")


if __name__ == "__main__":
    main(sys.argv)
