#!/usr/bin/env python3
"""resident-owners: which part of a JVM its resident pages belong to, one column per process.

    resident-owners.py PID...

Every resident page (present bit of /proc/PID/pagemap; needs root) is given an owner:
- a file mapping: the file's name (libjvm.so, the class-data archive, "other libs" for the rest);
- an anonymous page inside a region of Native Memory Tracking's virtual memory map
  (Java Heap, Code, Metaspace, Class, Thread Stack, GC, ...): "nmt CATEGORY";
- any other anonymous page: what malloc holds, "malloc brk heap" (glibc's main arena) or
  "malloc other anon" (its other arenas and large blocks).
The JVM must run with -XX:NativeMemoryTracking=detail (summary mode has no map); jcmd
must be on the PATH. Prints KB per owner, largest first, and the total.
"""
import bisect
import re
import struct
import subprocess
import sys

PAGE = 4096
REGION = re.compile(
    r"^\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved (?:and committed )?\d+KB for (.+?) from", re.M)


def nmt_regions(pid):
    out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "detail"],
                         capture_output=True, text=True)
    regions = sorted((int(m.group(1), 16), int(m.group(2), 16), m.group(3))
                     for m in REGION.finditer(out.stdout))
    if not regions:
        sys.exit(f"resident-owners: no NMT virtual memory map from process {pid} "
                 "(is it a JVM started with -XX:NativeMemoryTracking=detail?): "
                 + (out.stdout + out.stderr).strip()[:300])
    return regions


def owner(name, addr, regions, starts):
    if name and not name.startswith("["):
        base = name.rsplit("/", 1)[-1]
        return "file " + (base if base == "libjvm.so" or not base.startswith("lib") else "other libs")
    i = bisect.bisect_right(starts, addr) - 1
    if i >= 0 and regions[i][0] <= addr < regions[i][1]:
        return "nmt " + regions[i][2]
    if name == "[heap]":
        return "malloc brk heap"
    if name == "[stack]":
        return "main thread stack"
    return "malloc other anon"


def resident_owners(pid):
    regions = nmt_regions(pid)
    starts = [r[0] for r in regions]
    kb = {}
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else ""
            if name == "[vsyscall]":
                continue
            pagemap.seek(start // PAGE * 8)
            entries = pagemap.read((end - start) // PAGE * 8)
            for i in range(len(entries) // 8):
                (entry,) = struct.unpack_from("<Q", entries, i * 8)
                if entry >> 63:
                    key = owner(name, start + i * PAGE, regions, starts)
                    kb[key] = kb.get(key, 0) + PAGE // 1024
    kb["TOTAL"] = sum(kb.values())
    return kb


def main(args):
    if not args:
        sys.exit(__doc__)
    for a in args:
        if not a.isdigit():
            sys.exit(f"resident-owners: arguments are process ids, not {a!r}")
    columns = [resident_owners(int(pid)) for pid in args]
    keys = sorted({k for c in columns for k in c}, key=lambda k: -max(c.get(k, 0) for c in columns))
    print(f"{'KB':34s}" + "".join(f"{pid:>10}" for pid in args))
    for key in keys:
        values = [c.get(key, 0) for c in columns]
        if max(values) >= 64:
            print(f"{key:34s}" + "".join(f"{v:>10}" for v in values))


if __name__ == "__main__":
    main(sys.argv[1:])
