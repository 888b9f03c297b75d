#!/usr/bin/env python3
"""A misbehaving vhost-user backend for vs-vmm's error tests.

usage: vmm-fake-vhost.py SOCKET MODE
MODE: close       close after the first request (mid-negotiation)
      wrong-req   answer GET_FEATURES with another request code
      wrong-size  answer GET_FEATURES with a 4-byte payload
      silent      read requests, never answer
      no-v1       offer features without VIRTIO_F_VERSION_1
Exits after one connection (or 30 s)."""
import os
import socket
import struct
import sys

path, mode = sys.argv[1], sys.argv[2]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(30)
conn, _ = srv.accept()
conn.settimeout(30)


def read_msg():
    hdr = b""
    while len(hdr) < 12:
        chunk = conn.recv(12 - len(hdr))
        if not chunk:
            return None
        hdr += chunk
    req, flags, size = struct.unpack("<III", hdr)
    payload = b""
    while len(payload) < size:
        chunk = conn.recv(size - len(payload))
        if not chunk:
            return None
        payload += chunk
    return req


def reply(req, payload):
    conn.sendall(struct.pack("<III", req, 0x5, len(payload)) + payload)


req = read_msg()
if mode == "close":
    conn.close()
elif mode == "wrong-req":
    reply(req + 7, struct.pack("<Q", 1 << 32))
elif mode == "wrong-size":
    reply(req, b"\x01\x02\x03\x04")
elif mode == "no-v1":
    reply(req, struct.pack("<Q", 1 << 15))
elif mode == "silent":
    pass
# Hold the connection until vs-vmm gives up.
try:
    while read_msg() is not None:
        pass
except (OSError, socket.timeout):
    pass
