#!/usr/bin/env python3
"""Benchmarks vs-ovsdb-server against Debian's ovsdb-server, same machine,
same run, same schema and client: committed transactions per second for a
single small update (with and without "commit": durable) and the time of a
1000-row insert.  Both servers run side by side and the trials alternate
between them, keeping the best of several for each, so background load
on a shared machine hits both alike.  The client keeps a window of
requests in flight (as a busy manager or several clients would); the
small updates come from a C client (bench/ovsdb-bench-client.c) so the
figures measure the servers rather than Python.  Prints each figure and
the ratio ours/theirs (higher is better for vswitch).  "One at a time"
rows show the latency-bound case: with one durable transaction in flight
both servers wait for one fdatasync per transaction, so that ratio stays
near 1 on any disk.
Usage: ovsdb-bench.py SCHEMA WORKDIR [N] [TRIALS]"""
import json
import os
import socket
import subprocess
import sys
import time

schema, work = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
TRIALS = int(sys.argv[4]) if len(sys.argv) > 4 else 3
WINDOW = 32


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.buf = ""
        self.dec = json.JSONDecoder()
        self.id = 0

    def send(self, method, params):
        self.id += 1
        self.s.sendall(json.dumps({"method": method, "params": params, "id": self.id}).encode())
        return self.id

    def recv(self):
        while True:
            t = self.buf.lstrip()
            if t:
                try:
                    obj, end = self.dec.raw_decode(t)
                    self.buf = t[end:]
                    return obj
                except ValueError:
                    pass
            self.buf += self.s.recv(1 << 20).decode()

    def send_bytes(self, data):
        self.s.sendall(data)

    def call(self, method, params):
        rid = self.send(method, params)
        while True:
            m = self.recv()
            if m.get("id") == rid:
                return m


def start(kind):
    d = os.path.join(work, kind)
    os.makedirs(d, exist_ok=True)
    db = os.path.join(d, "bench.db")
    sock = os.path.join(d, "sock")
    if kind == "vswitch":
        subprocess.run(["vs-ovsdb-tool", "create", db, schema], check=True)
        cmd = ["vs-ovsdb-server", db, "--remote=punix:" + sock,
               "--unixctl=" + os.path.join(d, "ctl"), "-vconsole:warn"]
    else:
        subprocess.run(["ovsdb-tool", "create", db, schema], check=True)
        cmd = ["/usr/sbin/ovsdb-server", db, "--remote=punix:" + sock,
               "--unixctl=" + os.path.join(d, "ctl"), "--no-chdir", "-vconsole:off"]
    env = dict(os.environ, OVS_RUNDIR=d, OVS_DBDIR=d, OVS_LOGDIR=d)
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        if os.path.exists(sock):
            try:
                c = Client(sock)
                return p, c
            except OSError:
                pass
        time.sleep(0.02)
    sys.exit("%s did not start" % kind)


def updates(c, uuid, n, durable, window=WINDOW):
    """n small updates with 'window' in flight; returns transactions/s."""
    def ops(i):
        o = ["TestDB", {"op": "update", "table": "Root",
                        "where": [["_uuid", "==", uuid]], "row": {"n": i % 1000}}]
        if durable:
            o.append({"op": "commit", "durable": True})
        return o
    start = time.perf_counter()
    sent = done = 0
    while done < n:
        while sent < n and sent - done < window:
            c.send("transact", ops(sent))
            sent += 1
        r = c.recv()
        if "error" in r["result"][0] or len(r["result"]) != (2 if durable else 1):
            sys.exit("bad result %s" % r)
        done += 1
    return n / (time.perf_counter() - start)


def cpu_ms(p):
    """User+system CPU time used so far by process 'p', in ms."""
    with open("/proc/%d/stat" % p.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def c_updates(kind, uuid, n, durable, window=1):
    """Updates from the C client (if built; else Python), 'window' in flight."""
    client = os.environ.get("OVSDB_BENCH_CLIENT")
    if not client:
        return updates(servers[kind][1], uuid, n, durable, window)
    # Short runs, best kept: on a shared machine one-at-a-time latency is
    # mostly the scheduler's, and quiet moments are brief.
    best = 0.0
    for _ in range(5):
        out = subprocess.run([client, os.path.join(work, kind, "sock"), uuid[1],
                              str(max(n // 5, 20)), "durable" if durable else "plain",
                              str(window)],
                             capture_output=True, text=True, check=True)
        best = max(best, float(out.stdout))
    return best


def insert1000(p, c, tag):
    ops = ["TestDB"] + [{"op": "insert", "table": "Root",
                         "row": {"name": "%s-%d" % (tag, i), "n": i,
                                 "tags": ["map", [["k", "v%d" % i]]]}}
                        for i in range(1000)]
    c.id += 1
    rid = c.id
    data = json.dumps({"method": "transact", "params": ops, "id": rid}).encode()
    start = time.perf_counter()
    c.send_bytes(data)
    r = c.recv()
    t = time.perf_counter() - start
    assert r.get("id") == rid
    if len(r["result"]) != 1000 or "error" in r["result"][-1]:
        sys.exit("bad insert result %s" % r["result"][-1])
    # Keep the table the same size for the next trial.
    c.call("transact", ["TestDB", {"op": "delete", "table": "Root",
                                   "where": [["name", "!=", "bench"]]}])
    return t


servers = {k: start(k) for k in ("vswitch", "openvswitch")}
try:
    uuids = {}
    for k, (p, c) in servers.items():
        r = c.call("transact", ["TestDB", {"op": "insert", "table": "Root", "row": {"name": "bench"}}])
        uuids[k] = r["result"][0]["uuid"]
    best = {k: {"plain": 0, "durable": 0, "seq": 0, "seq_durable": 0, "insert1000": 1e9}
            for k in servers}
    cpu = {k: 0.0 for k in servers}
    cpu_upd = {k: 0.0 for k in servers}
    for trial in range(TRIALS):
        for k, (p, c) in servers.items():
            before = cpu_ms(p)
            best[k]["plain"] = max(best[k]["plain"], c_updates(k, uuids[k], N, False, WINDOW))
            cpu_upd[k] += cpu_ms(p) - before
            best[k]["durable"] = max(best[k]["durable"],
                                     c_updates(k, uuids[k], max(N // 4, 200), True, WINDOW))
            best[k]["seq"] = max(best[k]["seq"], c_updates(k, uuids[k], max(N // 2, 200), False))
            best[k]["seq_durable"] = max(best[k]["seq_durable"],
                                         c_updates(k, uuids[k], 100, True))
            before = cpu_ms(p)
            for rep in range(3):
                best[k]["insert1000"] = min(best[k]["insert1000"],
                                            insert1000(p, c, "t%d-%d" % (trial, rep)))
            cpu[k] += cpu_ms(p) - before
finally:
    for p, c in servers.values():
        p.terminate()
        p.wait()

ours, theirs = best["vswitch"], best["openvswitch"]
print("%-38s %15s %13s %7s" % ("benchmark (best of %d)" % TRIALS, "vs-ovsdb-server",
                               "ovsdb-server", "ratio"))
for key, label in (("plain", "small update, txn/s"),
                   ("durable", "small update + commit:true, txn/s"),
                   ("seq", "  one at a time, txn/s"),
                   ("seq_durable", "  one at a time + commit:true, txn/s")):
    print("%-38s %15.0f %13.0f %6.2fx" % (label, ours[key], theirs[key], ours[key] / theirs[key]))
print("%-38s %15.1f %13.1f %6.2fx" % ("1000-row insert, ms (ratio of speed)",
                                     ours["insert1000"] * 1000, theirs["insert1000"] * 1000,
                                     theirs["insert1000"] / ours["insert1000"]))
print("%-38s %15.1f %13.1f %6.2fx" % ("  server CPU per small update, us",
                                     cpu_upd["vswitch"] * 1000 / (max(N // 5, 20) * 5 * TRIALS),
                                     cpu_upd["openvswitch"] * 1000 / (max(N // 5, 20) * 5 * TRIALS),
                                     cpu_upd["openvswitch"] / max(cpu_upd["vswitch"], 1e-9)))
n_ins = 3 * TRIALS
print("%-38s %15.1f %13.1f %6.2fx" % ("  server CPU per insert+delete, ms",
                                     cpu["vswitch"] / n_ins, cpu["openvswitch"] / n_ins,
                                     cpu["openvswitch"] / max(cpu["vswitch"], 1e-9)))
