#!/usr/bin/python3
"""SMB2 share-mode probe for the clustered Samba tests (Debian's python3-impacket).

  share_mode.py hold HOST PORT SHARE FILE   open FILE for reading, sharing read only (deny write);
                                           print OPEN, keep it open until stdin closes, print CLOSED
  share_mode.py try HOST PORT SHARE FILE    open FILE for writing; print OK or SHARING_VIOLATION
Guest login (the test's smb.conf maps unknown users to guest).
"""
import sys

from impacket import nt_errors
from impacket.smb3structs import (FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_READ_DATA,
                                  FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_WRITE_DATA)
from impacket.smbconnection import SessionError, SMBConnection


def connect(host, port):
    conn = SMBConnection(host, host, sess_port=int(port), timeout=30)
    conn.login('jctdb-test', '')
    return conn


def main():
    mode, host, port, share, name = sys.argv[1:6]
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
