#!/usr/bin/env python3
"""Crash safety of vs-ovsdb-server's journal: ROUNDS times, start the
server, commit numbered transactions from a client, SIGKILL the server at a
random moment, then check that the database file opens cleanly and that
every acknowledged transaction is there, whole.
Usage: ovsdb-crash.py DB-FILE WORK-DIR ROUNDS"""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time

db, work, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sock_path = os.path.join(work, "crash.sock")
random.seed(os.getpid())


def start_server():
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    # A small compaction threshold makes kills land during compactions too.
    p = subprocess.Popen(["vs-ovsdb-server", db, "--remote=punix:" + sock_path,
                          "--unixctl=" + os.path.join(work, "crash.ctl"),
                          "--compact-min=20000", "-vconsole:warn"],
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "crash.err"), "a"))
    deadline = time.time() + 10
    while time.time() < deadline:
        if os.path.exists(sock_path):
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(sock_path)
                return p, s
            except OSError:
                pass
        if p.poll() is not None:
            sys.exit("FAIL: server exited with %s at start" % p.returncode)
        time.sleep(0.02)
    p.kill()
    sys.exit("FAIL: server did not start")


class Reader:
    """JSON-RPC messages from a stream socket.  A message can only end where
    a received piece ends with "}", so only then is a decode tried: trying
    after every 64 kB piece made reading the select of ~100,000 rows
    quadratic (minutes per round once the database had grown)."""

    def __init__(self, s):
        self.s, self.buf, self.dec = s, "", json.JSONDecoder()

    def recv(self):
        while True:
            t = self.buf.lstrip()
            if t.rstrip().endswith("}"):
                try:
                    obj, end = self.dec.raw_decode(t)
                    self.buf = t[end:]
                    return obj
                except ValueError:
                    pass
            parts = []
            while True:
                data = self.s.recv(65536)
                if not data:
                    raise EOFError
                parts.append(data)
                if data.rstrip().endswith(b"}"):
                    break
            self.buf = t + b"".join(parts).decode()


def request(s, r, method, params, rid):
    s.sendall(json.dumps({"method": method, "params": params, "id": rid}).encode())
    while True:
        m = r.recv()
        if m.get("id") == rid:
            return m


acked = set()
next_n = 0
for rnd in range(rounds):
    server, s = start_server()
    r = Reader(s)
    # First check what the previous round left.
    rows = request(s, r, "transact", ["TestDB", {"op": "select", "table": "Root", "where": [],
                                                 "columns": ["name", "n", "tags"]}], "q")
    present = {}
    for row in rows["result"][0]["rows"]:
        n = row["n"]
        if n == ["set", []]:
            continue
        present[n] = row
        if row["name"] != "t%d" % n or row["tags"] != ["map", [["round", str(n)]]]:
            sys.exit("FAIL: round %d: partial or garbled row %s" % (rnd, row))
    missing = acked - set(present)
    if missing:
        sys.exit("FAIL: round %d: acknowledged transactions lost: %s" % (rnd, sorted(missing)[:10]))
    next_n = max(list(present) + [next_n - 1]) + 1

    # Commit numbered transactions, pipelined a little, until killed.
    kill_at = time.time() + random.uniform(0.01, 0.3)
    killed = False
    inflight = {}
    try:
        while True:
            if not killed and time.time() >= kill_at:
                os.kill(server.pid, signal.SIGKILL)
                killed = True
            while len(inflight) < 4 and not killed:
                n = next_n
                next_n += 1
                ops = ["TestDB", {"op": "insert", "table": "Root",
                                  "row": {"name": "t%d" % n, "n": n,
                                          "tags": ["map", [["round", str(n)]]]}}]
                if n % 2:
                    ops.append({"op": "commit", "durable": True})
                s.sendall(json.dumps({"method": "transact", "params": ops, "id": n}).encode())
                inflight[n] = True
            m = r.recv()
            n = m.get("id")
            if n in inflight:
                del inflight[n]
                res = m["result"]
                if any(isinstance(x, dict) and "error" in x for x in res):
                    sys.exit("FAIL: transaction %d failed: %s" % (n, res))
                acked.add(n)
    except (EOFError, ConnectionResetError, BrokenPipeError):
        pass
    server.wait()
    s.close()
    # The file must open cleanly, whatever moment the kill hit.
    chk = subprocess.run(["vs-ovsdb-tool", "check", db], capture_output=True, text=True)
    if chk.returncode != 0:
        sys.exit("FAIL: round %d: database does not open: %s" % (rnd, chk.stderr))
    print("round %d: %d acknowledged so far%s" % (rnd, len(acked),
          " (torn tail repaired at next open)" if "torn" in chk.stdout else ""))

server, s = start_server()
r = Reader(s)
rows = request(s, r, "transact", ["TestDB", {"op": "select", "table": "Root", "where": [],
                                             "columns": ["n"]}], "q")
present = {row["n"] for row in rows["result"][0]["rows"]}
server.kill()
server.wait()
if acked - present:
    sys.exit("FAIL: final: lost %s" % sorted(acked - present)[:10])
print("PASS: %d rounds, %d acknowledged transactions all present" % (rounds, len(acked)))
