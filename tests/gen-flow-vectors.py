#!/usr/bin/python3
"""Prints the reference frames of tests/test-flow.c as C hex strings.

The frames were built with scapy (python3-scapy) and pasted into the test;
rerun this to regenerate them: /usr/bin/python3 tests/gen-flow-vectors.py
Frames that scapy would "fix" (bad lengths) are built and then patched."""
from scapy.all import (Ether, Dot3, Dot1Q, Dot1AD, IP, IPv6, TCP, UDP, ICMP, ARP,
                       SCTP, Raw, LLC, SNAP, STP, IPOption_RR,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, AH,
                       ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_NA,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr)
from scapy.contrib.mpls import MPLS

S, D = "00:11:22:33:44:55", "66:77:88:99:aa:bb"
E = lambda **kw: Ether(**{"src": S, "dst": D, **kw})
A4, B4 = "10.0.0.1", "10.0.0.2"
A6, B6 = "2001:db8::1", "2001:db8::2"


def patch(pkt, ofs, data):
    b = bytearray(bytes(pkt))
    b[ofs:ofs + len(data)] = data
    return bytes(b)


frames = {
    "tcp4": E() / IP(src=A4, dst=B4, ttl=64) / TCP(sport=12345, dport=80, flags="S"),
    "udp4_vlan": E() / Dot1Q(vlan=10, prio=5) / IP(src=A4, dst=B4, tos=0xb9, ttl=3)
                 / UDP(sport=5353, dport=53) / Raw(b"q"),
    "qinq_udp6": E() / Dot1AD(vlan=100, prio=1) / Dot1Q(vlan=200)
                 / IPv6(src=A6, dst=B6, tc=0x20, fl=0x12345, hlim=9)
                 / UDP(sport=1000, dport=2000),
    "three_tags": E() / Dot1AD(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / IP(src=A4, dst=B4),
    "icmp4_echo": E() / IP(src=A4, dst=B4) / ICMP(type=8, code=0, id=7, seq=1) / Raw(b"ping"),
    "ip4_options_tcp": E() / IP(src=A4, dst=B4, options=[IPOption_RR(routers=["0.0.0.0"] * 1)])
                       / TCP(sport=1, dport=2, flags="SA"),
    "ip4_frag_first": E() / IP(src=A4, dst=B4, flags="MF", frag=0, id=99)
                      / UDP(sport=7, dport=9) / Raw(b"x" * 16),
    "ip4_frag_later": E() / IP(src=A4, dst=B4, frag=185, id=99, proto=17) / Raw(b"y" * 16),
    # IHL 4 (< 5): bad header length.
    "ip4_bad_ihl": patch(E() / IP(src=A4, dst=B4) / UDP(sport=1, dport=2), 14, b"\x44"),
    # Total length 1000 but the frame is short.
    "ip4_bad_totlen": patch(E() / IP(src=A4, dst=B4) / UDP(sport=1, dport=2), 16, b"\x03\xe8"),
    # Total length 16, shorter than the 20-byte header.
    "ip4_totlen_lt_ihl": patch(E() / IP(src=A4, dst=B4) / UDP(sport=1, dport=2), 16, b"\x00\x10"),
    "arp_request": E(dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=S, psrc=A4, pdst=B4,
                                                   hwdst="00:00:00:00:00:00"),
    "rarp": E(type=0x8035) / ARP(op=3, hwsrc=S, hwdst=S, psrc="0.0.0.0", pdst="0.0.0.0"),
    # ARP with a hardware address length of 8: not Ethernet/IPv4 ARP.
    "arp_bad_hln": patch(E() / ARP(op=2, hwsrc=S, psrc=A4, pdst=B4), 18, b"\x08"),
    "tcp6": E() / IPv6(src=A6, dst=B6, hlim=64) / TCP(sport=443, dport=50000, flags="FA"),
    "ext_chain_udp6": E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop()
                      / IPv6ExtHdrRouting(addresses=["2001:db8::99"])
                      / IPv6ExtHdrDestOpt() / UDP(sport=11, dport=22),
    "frag6_first": E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(offset=0, m=1, id=5)
                   / UDP(sport=33, dport=44) / Raw(b"z" * 8),
    "frag6_later": E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(offset=100, m=0, id=5, nh=17)
                   / Raw(b"z" * 8),
    "ext_chain_16": E() / IPv6(src=A6, dst=B6)
                    / eval("/".join(["IPv6ExtHdrDestOpt()"] * 16))
                    / UDP(sport=1, dport=2),
    "ext_chain_too_long": E() / IPv6(src=A6, dst=B6)
                          / eval("/".join(["IPv6ExtHdrDestOpt()"] * 17))
                          / UDP(sport=1, dport=2),
    # Hop-by-hop header whose length runs past the end of the packet.
    "ext_truncated": patch(E() / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop()
                           / UDP(sport=1, dport=2), 54 + 1, b"\x05"),
    # Payload length 500 in a short frame.
    "ip6_bad_plen": patch(E() / IPv6(src=A6, dst=B6) / UDP(sport=1, dport=2), 18, b"\x01\xf4"),
    "ah6_tcp": E() / IPv6(src=A6, dst=B6) / AH(nh=6, payloadlen=4, spi=1, seq=1, icv=b"\x00" * 12)
               / TCP(sport=5, dport=6, flags="R"),
    "ip6_no_next": E() / IPv6(src=A6, dst=B6, nh=59) / Raw(b"\x00" * 8),
    "nd_ns_sll": E(dst="33:33:ff:00:00:02") / IPv6(src=A6, dst="ff02::1:ff00:2", hlim=255)
                 / ICMPv6ND_NS(tgt=B6) / ICMPv6NDOptSrcLLAddr(lladdr=S),
    "nd_na_tll": E() / IPv6(src=B6, dst=A6, hlim=255)
                 / ICMPv6ND_NA(tgt=B6, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=D),
    # NS whose option has length 0: malformed, ND fields are cleared.
    "nd_ns_bad_opt": patch(E() / IPv6(src=A6, dst=B6, hlim=255) / ICMPv6ND_NS(tgt=B6)
                           / ICMPv6NDOptSrcLLAddr(lladdr=S), 54 + 24 + 1, b"\x00"),
    "icmp6_echo": E() / IPv6(src=A6, dst=B6) / ICMPv6EchoRequest(id=1, seq=2),
    "sctp4": E() / IP(src=A4, dst=B4) / SCTP(sport=3868, dport=3869),
    "mpls2": E(type=0x8847) / MPLS(label=100, cos=3, s=0, ttl=64)
             / MPLS(label=200, cos=0, s=1, ttl=63) / IP(src=A4, dst=B4),
    "llc_stp": Dot3(src=S, dst="01:80:c2:00:00:00") / LLC() / STP(),
    "snap_ip": Dot3(src=S, dst=D) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3)
               / SNAP(OUI=0, code=0x0800) / IP(src=A4, dst=B4) / UDP(sport=1, dport=2),
    # UDP in a frame padded to the Ethernet minimum with junk.
    "udp4_padded": bytes(E() / IP(src=A4, dst=B4) / UDP(sport=67, dport=68)) + b"\xee" * 18,
    # TCP data offset 4 (< 5): ports are not trusted.
    "tcp4_bad_doff": patch(E() / IP(src=A4, dst=B4) / TCP(sport=1, dport=2), 46, b"\x40"),
    "lldp": Ether(src=S, dst="01:80:c2:00:00:0e", type=0x88cc) / Raw(b"\x02\x07\x04" + b"\x00" * 6),
}

for name, f in frames.items():
    h = bytes(f).hex()
    chunks = [h[i:i + 64] for i in range(0, len(h), 64)]
    print("    /* %s (%d bytes) */" % (name, len(bytes(f))))
    print("    \"" + "\"\n    \"".join(chunks) + "\",")
