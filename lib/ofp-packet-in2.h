/* NXT_PACKET_IN2 (Nicira subtype 30): Open vSwitch's extensible packet-in,
 * for connections that chose it with NXT_SET_PACKET_IN_FORMAT 2 (what
 * `ovs-ofctl monitor` asks for first), in every OpenFlow version.
 *
 * After the 16-byte Nicira header comes a property list (lib/ofp-prop.h):
 *   packet (0)    the frame, at most max_len bytes of it;
 *   full_len (1)  be32, the frame's length, only when it was truncated;
 *   buffer_id (2) be32, only for a buffered packet (vswitch never buffers);
 *   table_id (3)  u8;  cookie (4) be64 (absent: all ones, no flow);
 *   reason (5)    u8, OFPR_*;
 *   metadata (6)  OXM TLVs: in_port, metadata, tun_id, registers, as the
 *                 OF1.3 packet-in's match (ofp_packet_in_match());
 *   userdata (7)  the bytes of controller(userdata=...), if any.
 * Continuations (8) belong to controller(pause), which vswitch refuses:
 * it never sends one, and the decoder skips one it gets. */
#ifndef VS_OFP_PACKET_IN2_H
#define VS_OFP_PACKET_IN2_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofp_msg_header;
struct ofp_packet_in;
struct ofpbuf;

#define NXT_PACKET_IN2 30

enum nx_packet_in2_prop {
    NXPINT_PACKET = 0,
    NXPINT_FULL_LEN = 1,
    NXPINT_BUFFER_ID = 2,
    NXPINT_TABLE_ID = 3,
    NXPINT_COOKIE = 4,
    NXPINT_REASON = 5,
    NXPINT_METADATA = 6,
    NXPINT_USERDATA = 7,
    NXPINT_CONTINUATION = 8,
};

/* 'pin' with at most 'max_len' bytes of its packet (OFPCML_NO_BUFFER:
 * all) and its userdata, as an OpenFlow 'version' message.  Reasons the
 * version lacks become "action", as in Open vSwitch. */
struct ofpbuf *nx_packet_in2_encode(const struct ofp_packet_in *,
                                    uint8_t version, uint16_t max_len);
/* Decodes into 'pin' (packet and userdata point into 'msg').  A property
 * list that runs past the message or is cut short is OFPBPC_BAD_LEN (so
 * is a value of the wrong size), an unknown property OFPBPC_BAD_TYPE, a
 * message without a packet OFPBRC_BAD_LEN; a bad metadata match gives the
 * OXM decoder's OFPBMC_* error. */
enum ofperr nx_packet_in2_decode(const void *msg, size_t len,
                                 struct ofp_packet_in *pin);
/* "NXT_PACKET_IN2 (OF1.3) (xid=0x0): table_id=1 cookie=0x1 total_len=34
 * reg3=0x55,in_port=1 (via action) data_len=34 (unbuffered)" and, with
 * userdata, "\n userdata=01.02.03.04", as ovs-ofctl prints it. */
void nx_packet_in2_format(const void *msg, size_t len,
                          const struct ofp_msg_header *, struct ds *);

#endif /* ofp-packet-in2.h */
