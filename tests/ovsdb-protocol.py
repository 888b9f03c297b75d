#!/usr/bin/env python3
"""JSON-RPC protocol checks against a running vs-ovsdb-server (TestDB schema):
bad input gets RFC 7047 error replies or a clean disconnect, the server
stays up; locks, wait/cancel, echo, monitor_cond_since, _Server work.
Usage: ovsdb-protocol.py SOCKET-PATH"""
import json
import socket
import sys
import time

PATH = sys.argv[1]


class Conn:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        for attempt in range(100):
            try:
                self.s.connect(PATH)
                break
            except BlockingIOError:     # Listen backlog full: retry.
                time.sleep(0.01)
        self.buf = b""
        self.dec = json.JSONDecoder()
        self.next_id = 0
        self.pending = []

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, msg):
        self.send_raw(json.dumps(msg).encode())

    def recv(self):
        if self.pending:
            return self.pending.pop(0)
        while True:
            text = self.buf.decode(errors="replace").lstrip()
            if text:
                try:
                    obj, end = self.dec.raw_decode(text)
                    self.buf = text[end:].encode()
                    return obj
                except ValueError:
                    pass
            data = self.s.recv(65536)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"method": method, "params": params, "id": rid})
        while True:
            msg = self.recv()
            if msg.get("id") == rid:
                return msg
            self.pending_notify(msg)

    def pending_notify(self, msg):
        self.notifications.append(msg)

    notifications = []

    def wait_notify(self, method, timeout=5):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in Conn.notifications:
                if m.get("method") == method:
                    Conn.notifications.remove(m)
                    return m
            if self.pending:
                Conn.notifications.append(self.pending.pop(0))
                continue
            msg = self.recv()
            Conn.notifications.append(msg)
        raise AssertionError("no %s notification" % method)

    def closed_by_server(self):
        try:
            while True:
                if not self.s.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
    print("ok:", what)


def alive():
    c = Conn()
    r = c.request("list_dbs", [])
    c.close()
    return "TestDB" in r["result"]


def transact(c, *ops):
    return c.request("transact", ["TestDB"] + list(ops))


# Basic methods.
c = Conn()
r = c.request("echo", ["hello", 1])
check(r["result"] == ["hello", 1] and r["error"] is None, "echo")
r = c.request("get_server_id", [])
check(isinstance(r["result"], str) and len(r["result"]) == 36, "get_server_id")
r = c.request("set_db_change_aware", [True])
check(r["result"] == {}, "set_db_change_aware")
r = c.request("frobnicate", [])
check(r["result"] is None and r["error"] is not None, "unknown method gets an error reply")
r = c.request("get_schema", ["NoSuchDB"])
check(r["error"]["error"] == "unknown database", "get_schema of unknown db")
r = c.request("transact", ["_Server", {"op": "delete", "table": "Database", "where": []}])
check(r["result"][0]["error"] == "not allowed", "_Server is read-only")
r = c.request("transact", ["_Server", {"op": "select", "table": "Database", "where": [],
                                        "columns": ["name", "model", "connected"]}])
names = sorted(row["name"] for row in r["result"][0]["rows"])
check(names == ["TestDB", "_Server"], "_Server Database rows")

# monitor_cond_since: no history, full resync, then update3.
r = c.request("monitor_cond_since", ["TestDB", "m3", {"Root": [{"columns": ["name"]}]},
                                     "00000000-0000-0000-0000-000000000000"])
check(r["result"][0] is False and isinstance(r["result"][2], dict), "monitor_cond_since reply")
c2 = Conn()
transact(c2, {"op": "insert", "table": "Root", "row": {"name": "p1"}})
n = c.wait_notify("update3")
upd = n["params"][2]["Root"]
check(list(upd.values())[0]["insert"] == {"name": "p1"}, "update3 notification")
r = c.request("monitor_cond_change", ["m3", "m3b", {"Root": [{"where": [["name", "==", "zzz"]]}]}])
check(r["error"] is None, "monitor_cond_change")
d = c.wait_notify("update3")
check(list(d["params"][2]["Root"].values())[0] == {"delete": None}, "row leaving the condition")
r = c.request("monitor_cancel", ["m3b"])
check(r["result"] == {}, "monitor_cancel")
r = c.request("monitor_cancel", ["m3b"])
check(r["error"] is not None, "monitor_cancel of unknown monitor")

# Bad monitor requests get errors, not crashes.
for params in (["TestDB", "b1", {"Nope": {}}],
               ["TestDB", "b2", {"Root": {"columns": ["nope"]}}],
               ["TestDB", "b3", {"Root": {"columns": "name"}}],
               ["TestDB", "b4", {"Root": {"select": {"insert": 1}}}],
               ["TestDB", "b5", {"Root": [{"where": [["name", "==", 1]]}]}],
               ["TestDB", "b6", "notanobject"],
               ["NoDB", "b7", {}],
               ["TestDB"]):
    r = c.request("monitor_cond", params)
    check(r["error"] is not None, "bad monitor_cond %s rejected" % json.dumps(params)[:40])
r = c.request("monitor", ["TestDB", "b8", {"Root": {"where": []}}])
check(r["error"] is not None, "where in a v1 monitor rejected")
r = c.request("monitor_cond_change", ["nope", "nope", {}])
check(r["error"] is not None, "monitor_cond_change of unknown monitor")
r = c.request("monitor_cond", ["TestDB", "dup", {"Root": {}}])
r = c.request("monitor_cond", ["TestDB", "dup", {"Root": {}}])
check(r["error"] is not None, "duplicate monitor id rejected")
c.request("monitor_cancel", ["dup"])

# Locks.
r = c.request("lock", ["L"])
check(r["result"] == {"locked": True}, "lock acquired")
r = c2.request("lock", ["L"])
check(r["result"] == {"locked": False}, "second locker waits")
r = transact(c2, {"op": "assert", "lock": "L"})
check(r["result"][0]["error"] == "not owner", "assert without the lock")
r = transact(c, {"op": "assert", "lock": "L"})
check(r["result"] == [{}], "assert with the lock")
c3 = Conn()
r = c3.request("steal", ["L"])
check(r["result"] == {"locked": True}, "steal")
c.wait_notify("stolen")
check(True, "stolen notification")
r = c3.request("unlock", ["L"])
check(r["result"] == {}, "unlock")
c2.wait_notify("locked")
check(True, "locked notification to the waiter")
c3.close()

# Wait with a timeout, satisfied later by another client; and cancel.
c.send({"method": "transact", "id": "w1", "params": ["TestDB", {
    "op": "wait", "table": "Root", "timeout": 5000, "where": [["name", "==", "later"]],
    "columns": ["name"], "until": "==", "rows": [{"name": "later"}]}]})
time.sleep(0.2)
transact(c2, {"op": "insert", "table": "Root", "row": {"name": "later"}})
while True:
    m = c.recv()
    if m.get("id") == "w1":
        break
check(m["result"] == [{}], "wait satisfied by a later commit")
c.send({"method": "transact", "id": "w2", "params": ["TestDB", {
    "op": "wait", "table": "Root", "where": [], "columns": ["name"], "until": "==",
    "rows": []}]})
time.sleep(0.1)
c.send({"method": "cancel", "params": ["w2"], "id": None})
while True:
    m = c.recv()
    if m.get("id") == "w2":
        break
check(m["error"] == {"error": "canceled"}, "cancel of a waiting transact")
c.send({"method": "transact", "id": "w3", "params": ["TestDB", {
    "op": "wait", "table": "Root", "timeout": 300, "where": [], "columns": ["name"],
    "until": "==", "rows": []}]})
while True:
    m = c.recv()
    if m.get("id") == "w3":
        break
check(m["result"][0]["error"] == "timed out", "wait times out")

# Schema violations: RFC error objects, nothing changed.
r = transact(c, {"op": "insert", "table": "Root", "row": {"name": "v", "n": "x"}})
check(r["result"][0]["error"] == "syntax error", "type mismatch")
r = transact(c, {"op": "insert", "table": "Root", "row": {"name": 5}},
             {"op": "select", "table": "Root", "where": []})
check(len(r["result"]) == 2 and r["result"][1] is None, "null after the failed operation")
r = c.request("transact", "notalist")
check(r["error"] is not None, "params not an array")
c.send({"params": [], "id": 99})
m = c.recv()
check(m.get("id") == 99 and m.get("error") is not None, "request without method")
c2.close()

# Many clients at once, each with a transaction in flight, plus a monitor
# that must see every insert.
mon = Conn()
r = mon.request("monitor_cond", ["TestDB", "many", {"Root": [{"columns": ["name"],
                                                             "select": {"initial": False}}]}])
check(r["result"] == {}, "monitor for the many-clients check")
clients = [Conn() for _ in range(150)]
for i, cl in enumerate(clients):
    cl.send({"method": "transact", "id": i, "params": ["TestDB", {
        "op": "insert", "table": "Root", "row": {"name": "zz%d" % i}}]})
replies = [cl.recv() for cl in clients]
check(all(m["id"] == i and "uuid" in m["result"][0] for i, m in enumerate(replies)),
      "150 concurrent clients all get their replies")
for cl in clients:
    cl.close()
seen = set()
while len(seen) < 150:
    m = mon.recv()
    if m.get("method") == "update2":
        for row in m["params"][1]["Root"].values():
            seen.add(row["insert"]["name"])
check(seen == {"zz%d" % i for i in range(150)}, "the monitor saw all 150 inserts")
mon.close()

# Malformed JSON: clean disconnect; server stays up.
bad = Conn()
bad.send_raw(b'{"method": "echo", "params": [1,], "id": 1}')
check(bad.closed_by_server(), "malformed JSON closes the connection")
check(alive(), "server alive after malformed JSON")
bad = Conn()
bad.send_raw(b'\xff\xfe garbage')
check(bad.closed_by_server(), "binary garbage closes the connection")
bad = Conn()
bad.send_raw(b"[1, 2, 3]")
m = bad.recv()
check(m.get("error") is not None, "non-object message gets an error reply")
bad.close()

# Oversized message (the test server runs with --max-message-size=1048576).
big = Conn()
try:
    big.send_raw(b'{"method":"echo","id":1,"params":["' + b"x" * (2 * 1024 * 1024) + b'"]}')
except (BrokenPipeError, ConnectionResetError):
    pass
check(big.closed_by_server(), "oversized message closes the connection")
check(alive(), "server alive after oversized message")

# Abrupt disconnects mid-message and mid-monitor.
for i in range(20):
    a = Conn()
    a.send({"method": "monitor", "params": ["TestDB", None, {"Root": {}}], "id": 1})
    a.send_raw(b'{"method": "transact", "params": ["TestDB", {"op"')
    a.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    a.close()
check(alive(), "server alive after abrupt disconnects")

# A client that never reads its monitor updates is cut off at the backlog
# limit (--max-backlog=262144) while others are served.
slow = Conn()
slow.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
slow.send({"method": "monitor", "params": ["TestDB", None, {"Root": {}}], "id": 1})
time.sleep(0.2)
w = Conn()
start = time.time()
for i in range(300):
    transact(w, {"op": "insert", "table": "Root", "row": {"name": "bulk%d" % i,
                                                          "tags": ["map", [["k%d" % j, "v" * 200] for j in range(8)]]}})
elapsed = time.time() - start
check(elapsed < 30, "other clients keep being served (%.1fs for 300 commits)" % elapsed)
check(slow.closed_by_server(), "stuck client disconnected at the backlog limit")
check(alive(), "server alive after the slow client")
print("PASS")
