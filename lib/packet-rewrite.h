/* Header field rewrites on a parsed packet, keeping every checksum right.
 *
 * These are the "set field" actions of a userspace datapath.  Each needs
 * the offsets flow_extract() recorded in the dp_packet (l3_ofs, l4_ofs) and
 * returns 0, or EINVAL (packet unchanged) if the packet does not have the
 * header in question.  Checksums are updated incrementally (RFC 1624); a
 * UDP checksum of 0 means "none" and stays 0; SCTP's CRC32c is recomputed
 * over the whole packet. */
#ifndef VS_PACKET_REWRITE_H
#define VS_PACKET_REWRITE_H 1

#include <netinet/in.h>
#include <stdint.h>
#include "byte-order.h"
#include "packets.h"

struct dp_packet;

int packet_set_eth(struct dp_packet *, struct eth_addr src, struct eth_addr dst);

/* IPv4 header fields; the L4 checksum follows the addresses.  'tos' is the
 * whole TOS byte (DSCP and ECN). */
int packet_set_ipv4(struct dp_packet *, vs_be32 src, vs_be32 dst,
                    uint8_t tos, uint8_t ttl);

/* IPv6 header fields; the L4 checksum (TCP, UDP, ICMPv6) follows the
 * addresses.  'label' is the 20-bit flow label in network order. */
int packet_set_ipv6(struct dp_packet *, const struct in6_addr *src,
                    const struct in6_addr *dst, uint8_t tc, vs_be32 label,
                    uint8_t hlim);

/* Ports of the L4 header, which must be of that protocol (checked against
 * the IP header's protocol). */
int packet_set_tcp_port(struct dp_packet *, vs_be16 src, vs_be16 dst);
int packet_set_udp_port(struct dp_packet *, vs_be16 src, vs_be16 dst);
int packet_set_sctp_port(struct dp_packet *, vs_be16 src, vs_be16 dst);

/* ICMPv4 or ICMPv6 (by the packet's IP version) type and code. */
int packet_set_icmp(struct dp_packet *, uint8_t type, uint8_t code);

#endif /* packet-rewrite.h */
