#!/usr/bin/python3
"""Test peer: a minimal OpenFlow switch on a unix socket.

Usage: ofp-capture.py SOCKET VERSION [TABLE_FEATURES_HEX_FILE]

Accepts one connection, sends a hello for VERSION, answers echo, barrier,
features and multipart requests with small valid replies, and prints every
message it receives as one line of hex.  Used by tests/ofp-interop.sh to
capture the bytes ovs-ofctl sends for a flow, group or meter.  With a
third argument, table features requests are answered with the messages
(one hex line each) in that file, built by our own encoder."""
import os
import socket
import struct
import sys


def main():
    path, ver = sys.argv[1], int(sys.argv[2], 0)
    tf_replies = []
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            tf_replies = [bytes.fromhex(line.strip()) for line in f if line.strip()]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(10)
    # ovs-ofctl looks names up (table features, then port descriptions) on
    # connections of their own, then opens another for the command.
    for _ in range(3 if tf_replies else 1):
        conn, _ = srv.accept()
        conn.settimeout(10)
        serve(conn, ver, tf_replies)


def serve(conn, ver, tf_replies):
    conn.sendall(struct.pack('!BBHI', ver, 0, 8, 0))
    buf = b''
    mp_req, barrier_req = (16, 18) if ver == 1 else (18, 20)
    while True:
        try:
            data = conn.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
        while len(buf) >= 8:
            length = struct.unpack('!H', buf[2:4])[0]
            if length < 8 or len(buf) < length:
                break
            msg, buf = buf[:length], buf[length:]
            print(msg.hex(), flush=True)
            mtype, xid = msg[1], msg[4:8]
            if mtype == barrier_req:
                conn.sendall(bytes([ver, mtype + 1]) + b'\0\x08' + xid)
            elif mtype == 2:
                conn.sendall(bytes([ver, 3]) + msg[2:])
            elif mtype == 5:
                conn.sendall(struct.pack('!BBH4sQIBB2xII', ver, 6, 32, xid,
                                         1, 0, 254, 0, 0, 0))
            elif mtype == mp_req and tf_replies and msg[8:10] == b'\x00\x0c':
                for r in tf_replies:
                    conn.sendall(r[:4] + xid + r[8:])
            elif mtype == mp_req:
                body = msg[8:12] + (b'' if ver == 1 else b'\0' * 4)
                conn.sendall(bytes([ver, mtype + 1]) +
                             struct.pack('!H', 8 + len(body)) + xid + body)


if __name__ == '__main__':
    main()
