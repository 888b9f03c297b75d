#!/usr/bin/python3
"""MPLS frames for ofproto-mpls.sh, on raw AF_PACKET sockets.

  sniff IFACE COUNT TIMEOUT
      Prints one line per received MPLS frame (Ethernet type 0x8847/0x8848)
      until COUNT have arrived:
        label=.. tc=.. bos=.. ttl=.. labels=N inner_dst=A.B.C.D
      'inner_dst' is the IPv4 destination under the bottom entry.  Exits 1
      if fewer than COUNT arrive within TIMEOUT seconds.
  send IFACE DST_MAC LABEL TTL SRC_IP DST_IP DPORT [COUNT]
      Sends COUNT (default 5) frames: one MPLS entry (bottom of stack) with
      LABEL and TTL over an IPv4/UDP datagram SRC_IP:4000 -> DST_IP:DPORT
      (UDP checksum 0, a valid IPv4 header checksum).
  send-vlan IFACE DST_MAC VID SRC_IP DST_IP DPORT [COUNT]
      The same IPv4/UDP datagram without MPLS, in an 802.1Q tag VID.
"""
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 3
PACKET_OUTGOING = 4


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(w for (w,) in struct.iter_unpack("!H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def describe(frame):
    etype = struct.unpack("!H", frame[12:14])[0]
    ofs = 14
    if etype == 0x8100:
        etype = struct.unpack("!H", frame[16:18])[0]
        ofs = 18
    if etype not in (0x8847, 0x8848):
        return None
    top = None
    n = 0
    while ofs + 4 <= len(frame) and n < 8:
        (lse,) = struct.unpack("!I", frame[ofs:ofs + 4])
        ofs += 4
        n += 1
        if top is None:
            top = lse
        if lse & 0x100:
            break
    if top is None:
        return None
    inner = "none"
    if ofs + 20 <= len(frame) and frame[ofs] >> 4 == 4:
        inner = socket.inet_ntoa(frame[ofs + 16:ofs + 20])
    return "label=%d tc=%d bos=%d ttl=%d labels=%d inner_dst=%s" % (
        top >> 12, (top >> 9) & 7, (top >> 8) & 1, top & 0xFF, n, inner)


def sniff(iface, count, timeout):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    deadline = time.time() + timeout
    got = 0
    while got < count:
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        frame, addr = s.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING:
            continue
        line = describe(frame)
        if line:
            print(line, flush=True)
            got += 1
    return 0 if got >= count else 1


def ip_udp(src_ip, dst_ip, dport):
    payload = b"mpls-test"
    udp = struct.pack("!HHHH", 4000, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def send_frames(iface, dst_mac, l2_rest, count):
    """Sends 'count' frames: Ethernet to 'dst_mac', then 'l2_rest'."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    src_mac = s.getsockname()[4]
    frame = bytes.fromhex(dst_mac.replace(":", "")) + src_mac + l2_rest
    for _ in range(count):
        s.send(frame)
        time.sleep(0.1)
    return 0


def send(iface, dst_mac, label, ttl, src_ip, dst_ip, dport, count=5):
    lse = struct.pack("!I", (label << 12) | 0x100 | ttl)
    return send_frames(iface, dst_mac, struct.pack("!H", 0x8847) + lse
                       + ip_udp(src_ip, dst_ip, dport), count)


def send_vlan(iface, dst_mac, vid, src_ip, dst_ip, dport, count=5):
    tag = struct.pack("!HH", 0x8100, vid & 0xFFF)
    return send_frames(iface, dst_mac, tag + struct.pack("!H", 0x0800)
                       + ip_udp(src_ip, dst_ip, dport), count)


def main(argv):
    if len(argv) >= 4 and argv[0] == "sniff":
        return sniff(argv[1], int(argv[2]), float(argv[3]))
    if len(argv) >= 8 and argv[0] == "send":
        return send(argv[1], argv[2], int(argv[3]), int(argv[4]), argv[5],
                    argv[6], int(argv[7]),
                    int(argv[8]) if len(argv) > 8 else 5)
    if len(argv) >= 7 and argv[0] == "send-vlan":
        return send_vlan(argv[1], argv[2], int(argv[3]), argv[4], argv[5],
                         int(argv[6]), int(argv[7]) if len(argv) > 7 else 5)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
