#!/usr/bin/python3
"""A stand-in VMM for tap port tests: opens tap device NAME by name (as a
VMM would) and plays a tiny guest with MAC and IPv4 address: it answers ARP
and ICMP echo, and pings each PEER until it replies.  Prints "reply PEER"
per answered peer; exits 0 when all replied (and after --serve seconds of
answering), 1 on timeout.

usage: fake-vmm.py TAP MAC IP [--serve SECS] [--timeout SECS] [PEER...]
"""
import fcntl, os, select, struct, sys, time

TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac_bytes(m):
    return bytes(int(x, 16) for x in m.split(":"))


def ip_bytes(a):
    return bytes(int(x) for x in a.split("."))


def ipv4(src, dst, proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000,
                      64, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def main():
    args = sys.argv[1:]
    serve, timeout = 0.0, 20.0
    while "--serve" in args:
        i = args.index("--serve"); serve = float(args[i + 1]); del args[i:i + 2]
    while "--timeout" in args:
        i = args.index("--timeout"); timeout = float(args[i + 1]); del args[i:i + 2]
    tap, mac, ip, peers = args[0], mac_bytes(args[1]), ip_bytes(args[2]), args[3:]
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", tap.encode(), IFF_TAP | IFF_NO_PI))
    arp_table, replied = {}, set()
    start = time.time()
    next_probe = 0.0
    bcast = b"\xff" * 6
    while True:
        now = time.time()
        if now - start > timeout:
            print("timeout; replied: %s" % sorted(replied), flush=True)
            return 1
        if len(replied) == len(peers) and now - start >= serve:
            return 0
        if now >= next_probe:
            next_probe = now + 0.3
            for p in peers:
                if p in replied:
                    continue
                pb = ip_bytes(p)
                if pb not in arp_table:
                    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, ip,
                                      b"\0" * 6, pb)
                    os.write(fd, bcast + mac + b"\x08\x06" + arp)
                else:
                    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"fake-vmm" * 4
                    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
                    os.write(fd, arp_table[pb] + mac + b"\x08\x00" + ipv4(ip, pb, 1, icmp))
        r, _, _ = select.select([fd], [], [], 0.1)
        if not r:
            continue
        frame = os.read(fd, 65536)
        if len(frame) < 14:
            continue
        dst, src, etype = frame[:6], frame[6:12], struct.unpack("!H", frame[12:14])[0]
        body = frame[14:]
        if etype == 0x0806 and len(body) >= 28:
            op, sha, spa, tpa = struct.unpack("!6xH6s4s6x4s", body[:28])
            arp_table[spa] = sha
            if op == 1 and tpa == ip:
                rep = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, ip, sha, spa)
                os.write(fd, sha + mac + b"\x08\x06" + rep)
        elif etype == 0x0800 and len(body) >= 28 and dst == mac:
            ihl = (body[0] & 0xf) * 4
            proto, sip, dip = body[9], body[12:16], body[16:20]
            if proto != 1 or dip != ip:
                continue
            icmp = body[ihl:]
            if icmp[0] == 8:
                rep = b"\x00" + icmp[1:2] + b"\0\0" + icmp[4:]
                rep = rep[:2] + struct.pack("!H", csum(rep)) + rep[4:]
                os.write(fd, src + mac + b"\x08\x00" + ipv4(ip, sip, 1, rep))
            elif icmp[0] == 0:
                peer = ".".join(str(b) for b in sip)
                if peer in peers and peer not in replied:
                    replied.add(peer)
                    print("reply %s" % peer, flush=True)


sys.exit(main())
