#!/usr/bin/python3
"""A TLS JSON-RPC peer that waits for an OVSDB server to connect to it (the
server's active ssl: remote), asks list_dbs and prints the reply.

usage: ssl-jsonrpc-peer.py PORT KEY CERT CA"""
import json
import socket
import ssl
import sys

port, key, cert, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_REQUIRED
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(4)
srv.settimeout(30)
print("listening", flush=True)
conn, _ = srv.accept()
conn.settimeout(10)
tls = ctx.wrap_socket(conn, server_side=True)
tls.sendall(json.dumps({"method": "list_dbs", "params": [], "id": 1}).encode())
buf = ""
decoder = json.JSONDecoder()
while True:
    data = tls.recv(65536)
    if not data:
        sys.exit("connection closed before the reply")
    buf += data.decode()
    while buf.strip():
        try:
            msg, end = decoder.raw_decode(buf.lstrip())
        except ValueError:
            break
        buf = buf.lstrip()[end:]
        if msg.get("id") == 1:
            print(json.dumps(msg.get("result")), flush=True)
            sys.exit(0)
