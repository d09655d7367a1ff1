#!/usr/bin/env python3
"""proctree: CPU time, resident memory and process starts of whole process trees, from /proc.

    proctree.py sample ROOT_PID...          one line per root: "cpu_ms rss_kb nprocs"
    proctree.py idle SECONDS ROOT_PID...    one line per root over the window:
                                            "cpu_ms rss_kb execs" (rss at the end)

cpu_ms is utime+stime+cutime+cstime of every live process of the tree (so children the
tree started and reaped are counted through their parent), rss_kb the sum of their VmRSS.
execs counts exec() calls of the tree's processes during the window, from the kernel's
sched_process_fork/exec trace events in a private tracefs instance (-1 when tracefs is
not available, e.g. not root).
"""
import os
import sys
import time

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TRACEFS = "/sys/kernel/tracing"


def processes():
    """pid -> (ppid, cpu_ticks, rss_pages) of every process readable now."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                raw = f.read().decode("ascii", "replace")
        except OSError:
            continue  # exited meanwhile
        rest = raw[raw.rfind(")") + 2:].split()  # rest[0] is field 3 (state)
        ppid = int(rest[1])
        ticks = sum(int(rest[i]) for i in (11, 12, 13, 14))  # fields 14-17
        out[int(name)] = (ppid, ticks, int(rest[21]))  # field 24: rss
    return out


def tree(procs, root):
    children = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = [], [root]
    while todo:
        p = todo.pop()
        if p in procs:
            seen.append(p)
            todo.extend(children.get(p, []))
    return seen


def threads(pids):
    tids = set()
    for p in pids:
        try:
            tids.update(int(t) for t in os.listdir(f"/proc/{p}/task"))
        except OSError:
            pass
    return tids


def sample(roots):
    procs = processes()
    result = []
    for r in roots:
        members = tree(procs, r)
        result.append((sum(procs[p][1] for p in members) * TICK_MS,
                       sum(procs[p][2] for p in members) * PAGE_KB, len(members)))
    return result


def start_trace():
    if not os.path.isdir(os.path.join(TRACEFS, "events")):
        os.system(f"mount -t tracefs nodev {TRACEFS} >/dev/null 2>&1")
    inst = os.path.join(TRACEFS, "instances", f"proctree-{os.getpid()}")
    try:
        os.mkdir(inst)
        for ev in ("sched_process_fork", "sched_process_exec"):
            with open(os.path.join(inst, "events", "sched", ev, "enable"), "w") as f:
                f.write("1")
        return inst
    except OSError:
        return None


def stop_trace(inst):
    """(parent, child) fork pairs and exec'ing pids recorded by the instance, then removes it."""
    forks, execs = [], []
    with open(os.path.join(inst, "trace")) as f:
        for line in f:
            fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            if "sched_process_fork:" in line:
                forks.append((int(fields["pid"]), int(fields["child_pid"])))
            elif "sched_process_exec:" in line:
                execs.append(int(fields["pid"]))
    for ev in ("sched_process_fork", "sched_process_exec"):
        with open(os.path.join(inst, "events", "sched", ev, "enable"), "w") as f:
            f.write("0")
    os.rmdir(inst)
    return forks, execs


def idle(seconds, roots):
    procs = processes()
    members = [set(tree(procs, r)) for r in roots]
    before = [sum(procs[p][1] for p in m) for m in members]
    for m in members:
        m.update(threads(m))  # a fork event names the thread that forked
    inst = start_trace()
    time.sleep(seconds)
    after = sample(roots)
    counts = [-1] * len(roots)
    if inst:
        forks, execs = stop_trace(inst)
        for m in members:
            m.update(threads(m))
            for parent, child in forks:  # in order, so grandchildren follow their parents
                if parent in m:
                    m.add(child)
        counts = [sum(1 for p in execs if p in m) for m in members]
    # A process of the tree that exited without being reaped inside it is lost from the
    # sum; the daemons here reap their own children, so the sum only grows.
    return [(a[0] - b * TICK_MS, a[1], c) for a, b, c in zip(after, before, counts)]


def main(argv):
    if len(argv) >= 2 and argv[0] == "sample":
        rows = sample([int(p) for p in argv[1:]])
    elif len(argv) >= 3 and argv[0] == "idle":
        rows = idle(float(argv[1]), [int(p) for p in argv[2:]])
    else:
        sys.stderr.write(__doc__)
        return 2
    for cpu, rss, n in rows:
        print(f"{cpu:.0f} {rss} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
