# Test helper for ClusterFsIT: real fcntl (POSIX) locks from separate processes.
#   hold PATH        take an exclusive lock, print "locked pid=N", then obey stdin lines:
#                    try   - fork+exec a child of this process that tries the lock
#                    touch - fork+exec a child that inherits the locked fd and opens, reads
#                            and closes the file itself (the bindfs failure mode)
#                    exec  - re-exec this very process, keeping the locked fd
#                    read  - read the file through the locked fd, print "read N bytes"
#                    exit  - exit without unlocking (the kernel must release the lock)
#   held FD PATH     (after exec) continue holding through FD
#   try PATH         print "free" or "busy pid=HOLDER"; never blocks
#   touch PATH [FD]  open/read/close PATH, close inherited FD, print "touched"
import fcntl
import os
import struct
import subprocess
import sys

PY = sys.executable or "/usr/bin/python3"
ME = os.path.abspath(__file__)


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def try_lock(path):
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return "free"
        except OSError:
            query = struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0)
            kind, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))
            return "busy pid=%d" % pid if kind != fcntl.F_UNLCK else "busy pid=?"
    finally:
        os.close(fd)


def serve(fd, path):
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "try":
            r = subprocess.run([PY, ME, "try", path], capture_output=True, text=True)
            say("child-try " + r.stdout.strip())
        elif cmd == "touch":
            r = subprocess.run([PY, ME, "touch", path, str(fd)], pass_fds=(fd,),
                               capture_output=True, text=True)
            say("child-touch rc=%d %s" % (r.returncode, r.stdout.strip()))
        elif cmd == "exec":
            os.set_inheritable(fd, True)
            os.execv(PY, [PY, ME, "held", str(fd), path])
        elif cmd == "read":
            say("read %d bytes" % len(os.pread(fd, 100, 0)))
        elif cmd == "exit":
            os._exit(0)
        else:
            say("unknown " + cmd)


def main(argv):
    mode = argv[0]
    if mode == "hold":
        fd = os.open(argv[1], os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            say("busy %s" % e)
            return 1
        say("locked pid=%d" % os.getpid())
        serve(fd, argv[1])
    elif mode == "held":
        fd = int(argv[1])
        os.fstat(fd)
        say("re-executed pid=%d" % os.getpid())
        serve(fd, argv[2])
    elif mode == "try":
        say(try_lock(argv[1]))
    elif mode == "touch":
        fd = os.open(argv[1], os.O_RDONLY)
        os.read(fd, 100)
        os.close(fd)
        if len(argv) > 2:
            os.close(int(argv[2]))
        say("touched")
    else:
        say("usage: hold PATH | held FD PATH | try PATH | touch PATH [FD]")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
