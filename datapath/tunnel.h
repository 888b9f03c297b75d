/* Tunnel ports (Interface types "vxlan" and "geneve"): their options, the
 * one flow-based Linux netdev per type and UDP port that carries them, and
 * the userspace send of a packet that must go out of one.
 *
 * As in the kernel datapath of Open vSwitch, a tunnel Interface is not a
 * netdev of its own: every vxlan Interface with dst_port 4789 shares the
 * "external" (collect_metadata) vxlan netdev "vs_vxlan_4789".  tc-BPF reads
 * the outer addresses and VNI of what it receives (bpf_skb_get_tunnel_key)
 * and sets them on what it sends (bpf_skb_set_tunnel_key); the netdev
 * encapsulates and decapsulates. */
#ifndef TUNNEL_H
#define TUNNEL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "byte-order.h"

#define TUNNEL_VXLAN_PORT 4789
#define TUNNEL_GENEVE_PORT 6081
#define TUNNEL_MAX_KEY 0xffffff   /* VNIs are 24 bits. */

struct tunnel_cfg {
    uint32_t type;                /* DP_PORT_TYPE_VXLAN or _GENEVE. */
    vs_be32 remote;               /* 0 with DP_TUN_REMOTE_FLOW. */
    vs_be32 local;                /* 0: the route's source. */
    uint32_t key;                 /* 0 with DP_TUN_KEY_FLOW (the default
                                   * key is 0, as Open vSwitch's). */
    uint16_t flags;               /* DP_TUN_*. */
    uint16_t udp_port;            /* Host order. */
};

/* The DP_PORT_TYPE_* of port type 'type' ("vxlan", "geneve"), or 0 if it
 * is not a tunnel type. */
uint32_t tunnel_type_from_name(const char *type);
const char *tunnel_type_name(uint32_t dp_type);

/* Parses the "k=v,k=v" options of a tunnel port of type 'type': remote_ip
 * (required; IPv4 or "flow"), key (0..16777215, decimal or 0x hex, or
 * "flow"), local_ip, dst_port.  Other options of the datapath ("xdp-*")
 * are ignored.  On error returns EINVAL and a message in '*errp' (caller
 * frees); else 0 and '*errp' NULL. */
int tunnel_cfg_parse(const char *type, const char *options,
                     struct tunnel_cfg *, char **errp);

/* The name of the shared netdev for 'cfg' ("vs_vxlan_4789"). */
void tunnel_netdev_name(const struct tunnel_cfg *, char name[16]);
/* Creates (if missing) and brings up the flow-based netdev for 'cfg';
 * returns its ifindex in '*ifindex' and whether this call created it in
 * '*created'. */
int tunnel_netdev_ensure(const struct tunnel_cfg *, int *ifindex,
                         bool *created);
/* Deletes the shared netdev called 'name'. */
int tunnel_netdev_delete(const char *name);

/* Builds the UDP payload that encapsulates 'frame' for 'cfg' with VNI
 * 'key' (the VXLAN or Geneve header, then the frame) in 'buf' of 'size'
 * bytes; returns its length, 0 if it does not fit. */
size_t tunnel_encap(const struct tunnel_cfg *, uint32_t key,
                    const void *frame, size_t len, uint8_t *buf,
                    size_t size);
/* Sends 'frame' out of tunnel 'cfg' from userspace (the first packet of a
 * flow, slow path flows): a UDP datagram to 'dst' (the configured remote
 * unless remote_ip=flow) on the tunnel's port, from 'cfg->local' if set,
 * outer TTL 64.  The netdev cannot take a frame from a packet socket, which
 * cannot carry tunnel metadata; the kernel's UDP stack builds the same
 * outer headers.  '*sockp' caches the unbound UDP socket (-1: none yet;
 * the caller closes it); a tunnel with a local_ip gets a bound socket of
 * its own for each send. */
int tunnel_send(const struct tunnel_cfg *, uint32_t key, vs_be32 dst,
                const void *frame, size_t len, int *sockp);

#endif /* tunnel.h */
