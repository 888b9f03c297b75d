#!/usr/bin/python3
"""Raw OpenFlow 1.3 for tests, where ovs-ofctl is too careful to send a bad
message or a controller is needed that does nothing but stay connected.

  of-raw.py send unix:PATH|tcp:IP:PORT HEX...
      Connects, exchanges hellos (OpenFlow 1.3), sends each HEX message
      (its xid is set to 1, 2, ...), then an echo request, and prints every
      message received until the echo reply as "TYPE HEX" lines (TYPE in
      decimal).  Exits 0 if the echo reply came: the connection survived.

  of-raw.py send10 unix:PATH|tcp:IP:PORT HEX...
      The same in OpenFlow 1.0 (for Nicira extension messages).

  of-raw.py listen IP:PORT SECONDS
      A controller that accepts connections on IP:PORT and for each one
      sends a hello, answers echo requests and ignores everything else,
      for SECONDS at most.  Prints "connected" once a switch's hello
      arrived.
"""
import select
import socket
import struct
import sys
import time

OFP13 = 4
version = OFP13                 # "send10" speaks OpenFlow 1.0.
HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY = 0, 1, 2, 3


def msg(type_, xid, body=b""):
    return struct.pack("!BBHI", version, type_, 8 + len(body), xid) + body


def connect(target):
    kind, _, rest = target.partition(":")
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(rest)
    elif kind == "tcp":
        host, _, port = rest.rpartition(":")
        s = socket.create_connection((host, int(port)))
    else:
        sys.exit("bad target %s" % target)
    s.settimeout(5)
    return s


def read_msg(s, buf):
    """Returns (message, rest of buffer); raises on EOF or timeout."""
    while True:
        if len(buf) >= 8:
            length = struct.unpack("!H", buf[2:4])[0]
            if length < 8:
                raise ValueError("bad length %d" % length)
            if len(buf) >= length:
                return buf[:length], buf[length:]
        data = s.recv(65536)
        if not data:
            raise EOFError("connection closed")
        buf += data


def send_mode(target, hexes):
    s = connect(target)
    s.sendall(msg(HELLO, 0))
    buf = b""
    m, buf = read_msg(s, buf)
    if m[1] != HELLO:
        sys.exit("expected hello, got type %d" % m[1])
    for i, h in enumerate(hexes):
        raw = bytearray(bytes.fromhex(h))
        struct.pack_into("!I", raw, 4, i + 1)
        s.sendall(bytes(raw))
    s.sendall(msg(ECHO_REQUEST, 0xecec, b"ping"))
    deadline = time.time() + 5
    while time.time() < deadline:
        m, buf = read_msg(s, buf)
        print(m[1], m.hex())
        if m[1] == ECHO_REPLY and m[4:8] == b"\0\0\xec\xec":
            return 0
    return 1


def listen_mode(addr, seconds):
    host, _, port = addr.rpartition(":")
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(4)
    conns = {}
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([ls] + list(conns), [], [], 0.5)
        for s in r:
            if s is ls:
                c, _ = ls.accept()
                c.sendall(msg(HELLO, 1))
                conns[c] = b""
                continue
            data = s.recv(65536)
            if not data:
                del conns[s]
                s.close()
                continue
            buf = conns[s] + data
            while len(buf) >= 8:
                length = struct.unpack("!H", buf[2:4])[0]
                if length < 8 or len(buf) < length:
                    break
                m, buf = buf[:length], buf[length:]
                if m[1] == HELLO:
                    print("connected", flush=True)
                elif m[1] == ECHO_REQUEST:
                    s.sendall(bytes([m[0], ECHO_REPLY]) + m[2:])
            conns[s] = buf
    return 0


def main():
    global version
    if len(sys.argv) >= 3 and sys.argv[1] in ("send", "send10"):
        if sys.argv[1] == "send10":
            version = 1
        return send_mode(sys.argv[2], sys.argv[3:])
    if len(sys.argv) == 4 and sys.argv[1] == "listen":
        return listen_mode(sys.argv[2], float(sys.argv[3]))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
