/* The datapath's rewrite actions (DP_ACT_SET_*) on a raw Ethernet frame,
 * for userspace execute: the same semantics as the BPF fast path. */
#ifndef DP_REWRITE_H
#define DP_REWRITE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath/dpif.h"

/* True if 'type' is one of the DP_ACT_SET_* rewrites. */
bool dp_action_is_rewrite(uint16_t type);

/* Applies rewrite 'a' in place to the frame 'pkt' ('len' bytes, with at
 * most one 802.1Q/802.1ad tag in the frame) and fixes the checksums it
 * affects incrementally: the IPv4 header checksum, and the TCP/UDP
 * checksum for addresses (pseudo-header) and ports.  A UDP checksum of 0
 * ("none") stays 0.  Returns false, leaving the frame as it was, if the
 * frame lacks the header the rewrite needs (e.g. set_tp_dst on ICMP). */
bool dp_rewrite(uint8_t *pkt, size_t len, const struct dp_action *a);

/* DP_ACT_PUSH_MPLS / DP_ACT_POP_MPLS on the frame 'pkt' of '*len' bytes
 * in a buffer of 'cap' bytes: the label stack entry goes in (or comes out)
 * right after the Ethernet header and its VLAN tags (up to two), and the
 * Ethernet type is set to the action's.  Returns false, leaving the frame
 * as it was, if it cannot: a pop from a frame that is not MPLS, a push
 * without 4 bytes of room, a frame cut short. */
bool dp_mpls_push_pop(uint8_t *pkt, size_t *len, size_t cap,
                      const struct dp_action *a);

#endif /* dp-rewrite.h */
