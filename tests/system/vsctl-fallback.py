#!/usr/bin/env python3
"""A minimal OVSDB server for one test: it refuses monitor_cond (as old
servers do), so the IDL must fall back to plain monitor and read "update"
(v1) table updates.  It serves one Open_vSwitch row and one bridge, and
records the transactions it receives in a file.

usage: vsctl-fallback.py SOCKET SCHEMA LOG"""
import json
import os
import socket
import sys

sock_path, schema_path, log_path = sys.argv[1:4]
schema = json.load(open(schema_path))
OVS = "11111111-1111-4111-8111-111111111111"
BR = "22222222-2222-4222-8222-222222222222"
PORT = "33333333-3333-4333-8333-333333333333"
IFACE = "44444444-4444-4444-8444-444444444444"
rows = {
    "Open_vSwitch": {OVS: {"bridges": ["uuid", BR], "next_cfg": 0,
                           "cur_cfg": 0}},
    "Bridge": {BR: {"name": "legacy0", "ports": ["uuid", PORT]}},
    "Port": {PORT: {"name": "legacy0", "interfaces": ["uuid", IFACE]}},
    "Interface": {IFACE: {"name": "legacy0", "type": "internal"}},
}

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(4)
srv.settimeout(60)                      # Bounded: the test ends sooner.
dec = json.JSONDecoder()
while True:
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        break
    conn.settimeout(10)
    buf = ""
    try:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            buf += data.decode()
            while buf.strip():
                try:
                    msg, end = dec.raw_decode(buf.lstrip())
                except ValueError:
                    break
                buf = buf.lstrip()[end:]
                m, p, i = msg.get("method"), msg.get("params"), msg.get("id")
                reply = {"id": i, "error": None, "result": None}
                if m == "get_schema":
                    reply["result"] = schema
                elif m == "monitor_cond":
                    reply["error"] = "unknown method"
                elif m == "monitor":
                    reply["result"] = {
                        t: {u: {"new": r} for u, r in rs.items()}
                        for t, rs in rows.items() if t in p[2]}
                elif m == "transact":
                    with open(log_path, "a") as f:
                        f.write(json.dumps(p) + "\n")
                    reply["result"] = [
                        {"uuid": ["uuid", "5555555%d-5555-4555-8555-555555555555" % n]}
                        if op.get("op") == "insert" else {}
                        for n, op in enumerate(p[1:])]
                elif m == "echo":
                    reply["result"] = p
                else:
                    reply["error"] = "unknown method"
                    reply["result"] = None
                conn.sendall(json.dumps(reply).encode())
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    conn.close()
