#!/usr/bin/python3
"""Helpers for dp-rewrite.sh: capture and check rewritten packets, craft
packets the host stack will not send.

  sniff IFACE COUNT TIMEOUT [proto=udp|tcp|icmp|icmp6] [FIELD=VALUE]...
      Captures COUNT received IPv4/IPv6 packets on IFACE that match (FIELD
      is one of those printed before l4csum: src, dport, ...), and
      prints one line per packet:
        src=.. dst=.. sport=.. dport=.. tos=0x.. ttl=.. ipcsum=ok|BAD
        l4csum=ok|partial-ok|none|BAD eth_dst=..
      Checksums are verified from scratch; a packet the kernel marks
      CHECKSUM_PARTIAL (TP_STATUS_CSUMNOTREADY) must carry exactly the
      pseudo-header sum.  Exits 1 if fewer than COUNT arrive in TIMEOUT s.
  send IFACE SPEC...
      Sends crafted frames with scapy (complete checksums unless told), or
      prints them in hex if IFACE is "-":
      udp4 DST_MAC SRC_IP DST_IP SPORT DPORT [TOS] [CHKSUM0]
      udp6|icmp6 DST_MAC SRC_IP6 DST_IP6 [TC]
"""
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 3
SOL_PACKET = 263
PACKET_AUXDATA = 8
SO_RCVBUFFORCE = 33              # <asm-generic/socket.h>; not in Python
TP_STATUS_CSUMNOTREADY = 1 << 3
PACKET_OUTGOING = 4
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1, "icmp6": 58}


def csum_sum(data, s=0):
    if len(data) % 2:
        data += b"\0"
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def check_packet(pkt, partial, flt):
    """Returns the description line, or None if the packet does not match."""
    etype = struct.unpack("!H", pkt[12:14])[0]
    l3 = 14
    if etype == 0x8100:
        etype = struct.unpack("!H", pkt[16:18])[0]
        l3 = 18
    ip = pkt[l3:]
    f = {}
    if etype == 0x0800 and len(ip) >= 20:
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        proto, l4 = ip[9], ip[ihl:tot]
        f["src"] = socket.inet_ntop(socket.AF_INET, ip[12:16])
        f["dst"] = socket.inet_ntop(socket.AF_INET, ip[16:20])
        f["tos"] = "0x%02x" % ip[1]
        f["ttl"] = ip[8]
        f["ipcsum"] = "ok" if csum_sum(ip[:ihl]) == 0xFFFF else "BAD"
        pseudo = csum_sum(ip[12:20] + struct.pack("!HH", proto, len(l4)))
    elif etype == 0x86DD and len(ip) >= 40:
        plen = struct.unpack("!H", ip[4:6])[0]
        proto, l4 = ip[6], ip[40:40 + plen]
        f["src"] = socket.inet_ntop(socket.AF_INET6, ip[8:24])
        f["dst"] = socket.inet_ntop(socket.AF_INET6, ip[24:40])
        f["tos"] = "0x%02x" % (((ip[0] & 15) << 4) | (ip[1] >> 4))
        f["ttl"] = ip[7]
        f["ipcsum"] = "ok"
        pseudo = csum_sum(ip[8:40] + struct.pack("!IxxxB", len(l4), proto))
    else:
        return None
    if "proto" in flt and PROTOS[flt["proto"]] != proto:
        return None
    if proto in (6, 17) and len(l4) >= 8:
        f["sport"], f["dport"] = struct.unpack("!HH", l4[:4])
    for k, v in flt.items():
        if k != "proto" and str(f.get(k)) != v:
            return None
    cofs = {6: 16, 17: 6, 1: 2, 58: 2}.get(proto)
    if cofs is None or len(l4) < cofs + 2:
        f["l4csum"] = "n/a"
    else:
        field = struct.unpack("!H", l4[cofs:cofs + 2])[0]
        if proto == 1:
            pseudo = 0
        if partial:
            ok = field == pseudo or {field, pseudo} == {0, 0xFFFF}
            f["l4csum"] = "partial-ok" if ok else "BAD(partial %04x want %04x)" % (field, pseudo)
        elif proto == 17 and field == 0 and etype == 0x0800:
            f["l4csum"] = "none"
        else:
            f["l4csum"] = "ok" if csum_sum(l4, pseudo) == 0xFFFF else "BAD"
    f["eth_dst"] = ":".join("%02x" % b for b in pkt[:6])
    f["len"] = len(pkt)
    return " ".join("%s=%s" % kv for kv in f.items())


def sniff(iface, count, timeout, *args):
    flt = dict(a.split("=", 1) for a in args)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    # Room for a burst of 64 KB GSO skbs while a loaded machine schedules
    # us late; the default buffer holds only a few and drops the rest.
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    s.bind((iface, 0))
    print("ready", file=sys.stderr, flush=True)
    got, deadline = 0, time.time() + float(timeout)
    while got < int(count):
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            return 1
        pkt, anc, _, addr = s.recvmsg(70000, socket.CMSG_SPACE(64))
        if addr[2] == PACKET_OUTGOING:
            continue
        partial = False
        for lvl, typ, data in anc:
            if lvl == SOL_PACKET and typ == PACKET_AUXDATA:
                partial = bool(struct.unpack("I", data[:4])[0] & TP_STATUS_CSUMNOTREADY)
        line = check_packet(pkt, partial, flt)
        if line:
            print(line, flush=True)
            got += 1
    return 0


def send(iface, kind, *a):
    from scapy.all import Ether, IP, IPv6, UDP, ICMPv6EchoRequest, Raw, sendp
    if kind == "udp4":
        dmac, src, dst, sport, dport = a[:5]
        tos = int(a[5], 0) if len(a) > 5 else 0
        udp = UDP(sport=int(sport), dport=int(dport))
        if len(a) > 6:
            udp.chksum = 0
        p = Ether(dst=dmac) / IP(src=src, dst=dst, tos=tos, ttl=64) / udp / Raw(b"rewrite-me" * 3)
    elif kind in ("udp6", "icmp6"):
        dmac, src, dst = a[:3]
        tc = int(a[3], 0) if len(a) > 3 else 0
        l4 = UDP(sport=1000, dport=7006) if kind == "udp6" else ICMPv6EchoRequest(id=7, seq=1)
        p = Ether(dst=dmac) / IPv6(src=src, dst=dst, tc=tc, hlim=64) / l4 / Raw(b"x" * 21)
    else:
        sys.exit("unknown kind " + kind)
    if iface == "-":
        print(bytes(p).hex())   # For vs-dpctl execute.
    else:
        sendp(p, iface=iface, verbose=False)
    return 0


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    sys.exit(sniff(*rest) if cmd == "sniff" else send(*rest))
