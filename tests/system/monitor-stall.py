#!/usr/bin/python3
"""A flow monitor that stops reading, for tests/system/ofproto-monitor.sh.

Usage: monitor-stall.py SOCKET REQUEST_HEX GO_FILE SECONDS

Connects to the switch's unix SOCKET, exchanges OpenFlow 1.4 hellos, sends
REQUEST_HEX (an OFPMP_FLOW_MONITOR request), prints "ready", then reads
nothing until GO_FILE exists (the test makes the switch's output queue to
us grow meanwhile).  Then it reads every flow monitor reply for at most
SECONDS and prints one line per event seen after PAUSED: "paused", one
"refresh N" with the number of ADDED updates between PAUSED and RESUMED,
and "resumed"."""
import os
import socket
import struct
import sys
import time

OFP14 = 5
EV_ADDED, EV_PAUSED, EV_RESUMED = 1, 5, 6


def read_msg(sock, buf):
    while True:
        if len(buf) >= 8:
            length = struct.unpack("!H", buf[2:4])[0]
            if length < 8:
                sys.exit("bad length")
            if len(buf) >= length:
                return buf[:length], buf[length:]
        data = sock.recv(1 << 16)
        if not data:
            sys.exit("switch closed the connection")
        buf += data


def main():
    path, request, go_file, seconds = sys.argv[1], bytes.fromhex(sys.argv[2]), \
        sys.argv[3], float(sys.argv[4])
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.sendall(struct.pack("!BBHI", OFP14, 0, 8, 1))
    sock.sendall(request)
    buf = b""
    msg, buf = read_msg(sock, buf)          # The switch's hello.
    print("ready", flush=True)
    deadline = time.time() + seconds
    while not os.path.exists(go_file):
        if time.time() > deadline:
            sys.exit("no go")
        time.sleep(0.1)
    sock.settimeout(max(deadline - time.time(), 1))
    paused, refresh = False, 0
    while time.time() < deadline:
        msg, buf = read_msg(sock, buf)
        if msg[1] != 19 or struct.unpack("!H", msg[8:10])[0] != 16:
            continue                        # Not a flow monitor reply.
        ofs = 16
        while ofs + 4 <= len(msg):
            length, event = struct.unpack("!HH", msg[ofs:ofs + 4])
            if length < 8:
                sys.exit("bad update length")
            if event == EV_PAUSED:
                paused = True
                print("paused", flush=True)
            elif event == EV_RESUMED:
                print("refresh %d" % refresh)
                print("resumed", flush=True)
                return
            elif paused and event == EV_ADDED:
                refresh += 1
            ofs += length
    sys.exit("timed out (paused=%s, refresh=%d)" % (paused, refresh))


if __name__ == "__main__":
    main()
