#!/usr/bin/env python3
"""threads.py SECONDS ROOT_PID...: per thread of each root's process tree (the process and its
descendants), CPU time from /proc/PID/task/TID/schedstat and voluntary context switches (wake-ups
after a sleep) over the window, then the tree's total. Threads that started or ended inside the
window count from or up to their first or last sample."""
import os, sys, time
def tree(pid):
    out=[pid]
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            try:
                for c in open(f"/proc/{pid}/task/{t}/children").read().split():
                    out+=tree(int(c))
            except OSError: pass
    except OSError: pass
    return out
def snap(pids):
    d={}
    for root in pids:
        for p in tree(root):
            try: tids=os.listdir(f"/proc/{p}/task")
            except OSError: continue
            for t in tids:
                try:
                    ns=int(open(f"/proc/{p}/task/{t}/schedstat").read().split()[0])
                    name=open(f"/proc/{p}/task/{t}/comm").read().strip()
                    vol=0
                    for l in open(f"/proc/{p}/task/{t}/status"):
                        if l.startswith("voluntary_ctxt"): vol=int(l.split()[1])
                    d[(root,p,int(t))]=(name,ns,vol)
                except OSError: pass
    return d
secs=float(sys.argv[1]); pids=[int(x) for x in sys.argv[2:]]
a=snap(pids); time.sleep(secs); b=snap(pids)
for root in pids:
    rows=[]; tot=0; totw=0
    for k,(name,ns,vol) in b.items():
        if k[0]!=root: continue
        n0,ns0,v0=a.get(k,(name,0,0))
        cpu=(ns-ns0)/1e6/secs; w=(vol-v0)/secs
        tot+=cpu; totw+=w
        if cpu>0.001 or w>0.01: rows.append((cpu,w,name,k[1],k[2]))
    print(f"== tree {root}: {tot:.3f} ms/s = {tot/10:.3f} % of a core, {totw:.2f} wake-ups/s")
    for cpu,w,name,p,t in sorted(rows,reverse=True):
        print(f"  {cpu:7.3f} ms/s {w:6.2f} w/s  {name} ({p}/{t})")
