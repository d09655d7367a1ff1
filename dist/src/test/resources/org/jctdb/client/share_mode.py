#!/usr/bin/python3
"""SMB2 share-mode probe for the clustered Samba tests (Debian's python3-impacket).

  share_mode.py hold HOST PORT SHARE FILE   open FILE for reading, sharing read only (deny write);
                                           print OPEN, keep it open until stdin closes, print CLOSED
  share_mode.py try HOST PORT SHARE FILE    open FILE for writing; print OK or SHARING_VIOLATION
  share_mode.py follow HOST PORT SHARE FILE open FILE as hold does and print READ <hex of its content>;
                                           after a line on stdin reconnect to HOST (its server may have died
                                           and the address moved), retrying for up to 90 s, open FILE the
                                           same way again and print READ <hex> <attempts>
  share_mode.py bench HOSTS PORT SHARE FILE SECONDS WORKERS
                                           WORKERS processes, spread over the comma-separated HOSTS, each
                                           with its own session, open and close FILE (sharing everything)
                                           in a loop for SECONDS (a %d in FILE: the worker's number); print one JSON line: opens, seconds,
                                           opens per second, median and p99 of one open+close in µs
Guest login (the test's smb.conf maps unknown users to guest).
"""
import json
import multiprocessing
import sys
import time

from impacket import nt_errors
from impacket.smb3structs import (FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_READ_DATA,
                                  FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_WRITE_DATA)
from impacket.smbconnection import SessionError, SMBConnection


def connect(host, port):
    conn = SMBConnection(host, host, sess_port=int(port), timeout=30)
    conn.login('jctdb-test', '')
    return conn


def open_and_read(host, port, share, name):
    conn = connect(host, port)
    tree = conn.connectTree(share)
    fid = conn.createFile(tree, name, desiredAccess=FILE_READ_DATA, shareMode=FILE_SHARE_READ,
                          creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN)
    return conn, tree, fid, conn.readFile(tree, fid, 0, 1 << 20)


def follow(host, port, share, name):
    conn, tree, fid, data = open_and_read(host, port, share, name)
    print('READ ' + data.hex(), flush=True)
    sys.stdin.readline()
    deadline = time.monotonic() + 90
    attempts = 0
    while True:
        attempts += 1
        try:
            conn, tree, fid, data = open_and_read(host, port, share, name)
            break
        except Exception as e:  # the old server is gone: refused, reset or timed out until the address moves
            if time.monotonic() > deadline:
                print('GAVE UP after %d attempts: %s' % (attempts, e), file=sys.stderr, flush=True)
                return 1
            time.sleep(0.25)
    print('READ %s %d' % (data.hex(), attempts), flush=True)
    conn.closeFile(tree, fid)
    conn.logoff()
    return 0


def bench_worker(host, port, share, name, start, until, out):
    conn = connect(host, port)
    tree = conn.connectTree(share)
    time.sleep(max(0.0, start - time.monotonic()))
    lat = []
    while time.monotonic() < until:
        t0 = time.perf_counter_ns()
        fid = conn.createFile(tree, name, desiredAccess=FILE_READ_DATA,
                              shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN_IF)
        conn.closeFile(tree, fid)
        lat.append((time.perf_counter_ns() - t0) // 1000)
    conn.logoff()
    out.put(lat)


def bench(hosts, port, share, name, seconds, workers):
    hosts = hosts.split(',')
    out = multiprocessing.Queue()
    # Sessions are set up before the clock starts: the loop measures opens, not logins.
    start = time.monotonic() + 5
    until = start + float(seconds)
    procs = [multiprocessing.Process(target=bench_worker,
                                     args=(hosts[i % len(hosts)], port, share, name % i if '%d' in name else name,
                                           start, until, out))
             for i in range(int(workers))]
    for p in procs:
        p.start()
    lat = []
    for _ in procs:
        lat.extend(out.get(timeout=float(seconds) + 120))
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs) or not lat:
        print('a worker failed', file=sys.stderr)
        return 1
    lat.sort()
    elapsed = until - start
    print(json.dumps({'opens': len(lat), 'seconds': elapsed, 'opens_per_second': len(lat) / elapsed,
                      'median_us': lat[len(lat) // 2], 'p99_us': lat[min(len(lat) - 1, len(lat) * 99 // 100)]}),
          flush=True)
    return 0


def main():
    mode, host, port, share, name = sys.argv[1:6]
    if mode == 'follow':
        return follow(host, port, share, name)
    if mode == 'bench':
        return bench(host, port, share, name, sys.argv[6], sys.argv[7])
    conn = connect(host, port)
    tree = conn.connectTree(share)
    if mode == 'hold':
        fid = conn.createFile(tree, name, desiredAccess=FILE_READ_DATA, shareMode=FILE_SHARE_READ,
                              creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN_IF)
        print('OPEN', flush=True)
        sys.stdin.read()
        conn.closeFile(tree, fid)
        print('CLOSED', flush=True)
    elif mode == 'try':
        try:
            fid = conn.createFile(tree, name, desiredAccess=FILE_WRITE_DATA | FILE_READ_DATA,
                                  shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE,
                                  creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN)
        except SessionError as e:
            if e.getErrorCode() == nt_errors.STATUS_SHARING_VIOLATION:
                print('SHARING_VIOLATION', flush=True)
                return 0
            raise
        conn.closeFile(tree, fid)
        print('OK', flush=True)
    else:
        print('unknown mode ' + mode, file=sys.stderr)
        return 2
    conn.logoff()
    return 0


if __name__ == '__main__':
    sys.exit(main())
