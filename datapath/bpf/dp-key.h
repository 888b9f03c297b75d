/* The datapath's flow key, mask, actions and map layouts, shared by the BPF
 * programs (dp.bpf.c) and userspace (dpif-xdp.c).  Every struct here is laid
 * out by hand with explicit padding so BPF and userspace agree byte for
 * byte; packet fields are in network byte order unless noted. */
#ifndef DP_KEY_H
#define DP_KEY_H 1

#include <linux/types.h>
#include <linux/bpf.h>            /* struct bpf_spin_lock */

#define DP_MAX_PORTS 256          /* Port numbers 1..255; 0 is invalid. */
#define DP_MAX_MASKS 16           /* Distinct megaflow masks probed per packet. */
#define DP_MAX_ACTIONS 16        /* A power of 2 (BPF masks indexes). */
#define DP_UPCALL_MAX_DATA 1536   /* Packet bytes in a small upcall. */
#define DP_UPCALL_MAX_BIG 65536   /* Whole GSO/GRO skbs, a power of 2. */

/* vlan_tci (host byte order): PCP << 13 | DP_VLAN_PRESENT | VID.  0 means
 * "no 802.1Q header". */
#define DP_VLAN_PRESENT 0x1000
#define DP_VLAN_VID_MASK 0x0fff
#define DP_VLAN_PCP_SHIFT 13

/* nw_frag bits. */
#define DP_FRAG_ANY   0x01        /* Is a fragment. */
#define DP_FRAG_LATER 0x02        /* Not the first fragment (no L4 header). */

/* The flow key: 88 bytes, masked 64-bit word by word. */
struct dp_key {
    __u32 in_port;                /* Datapath port number (host order). */
    __u16 vlan_tci;               /* Host order, see above. */
    __be16 eth_type;              /* Innermost ethertype. */
    __u8 eth_dst[6];
    __u8 eth_src[6];
    __be32 nw_src;                /* IPv4 source, ARP SPA. */
    __be32 nw_dst;                /* IPv4 destination, ARP TPA. */
    __u8 nw_proto;                /* IP protocol, or ARP opcode (low byte). */
    __u8 nw_tos;
    __u8 nw_ttl;
    __u8 nw_frag;
    __be16 tp_src;                /* TCP/UDP/SCTP ports, ICMP type. */
    __be16 tp_dst;                /* ICMP code. */
    __be32 mpls_lse;              /* MPLS (eth_type 0x8847/0x8848): the top
                                   * label stack entry as on the wire; else
                                   * zero.  (L3/L4 fields stay zero under
                                   * MPLS: nothing says what follows.) */
    __u8 ipv6_src[16];            /* IPv6 only (nw_src/nw_dst stay zero). */
    __u8 ipv6_dst[16];
    /* Tunnel metadata of a packet received on a tunnel port (VXLAN VNI or
     * Geneve VNI, outer IPv4 addresses); zero otherwise. */
    __be64 tun_id;
    __be32 tun_src;
    __be32 tun_dst;
};
#define DP_KEY_WORDS (sizeof(struct dp_key) / 8)
_Static_assert(sizeof(struct dp_key) == 88, "dp_key is masked by 64-bit words");

/* Key of the megaflow hash map: a key masked by mask 'mask_id'. */
struct dp_flow_key {
    __u32 mask_id;
    __u32 pad;                    /* Always zero. */
    struct dp_key key;
};

enum dp_action_type {
    DP_ACT_OUTPUT = 1,            /* port: output port number. */
    DP_ACT_PUSH_VLAN = 2,         /* tci: host-order TCI (PRESENT bit ignored). */
    DP_ACT_POP_VLAN = 3,
    DP_ACT_FLOOD = 4,             /* All ports but the ingress one. */
    DP_ACT_UPCALL = 5,            /* Send to userspace. */
    /* Rewrites (OpenFlow set_field and friends); each fixes the checksums
     * it affects.  A rewrite the packet cannot take (e.g. SET_TP_* on a
     * packet that is not TCP/UDP) leaves it unchanged. */
    DP_ACT_SET_ETH_SRC = 6,       /* mac. */
    DP_ACT_SET_ETH_DST = 7,       /* mac. */
    DP_ACT_SET_IPV4_SRC = 8,      /* ipv4; IPv4 and TCP/UDP checksums. */
    DP_ACT_SET_IPV4_DST = 9,      /* ipv4. */
    DP_ACT_SET_TP_SRC = 10,       /* tp_port: TCP/UDP port; checksum. */
    DP_ACT_SET_TP_DST = 11,       /* tp_port. */
    DP_ACT_SET_IP_TOS = 12,       /* tos under tos_mask (IPv4 ToS or IPv6
                                   * traffic class); IPv4 checksum. */
    DP_ACT_SET_IP_TTL = 13,       /* ttl (IPv4 TTL or IPv6 hop limit). */
    DP_ACT_METER = 14,            /* meter_id: a meter with one drop band
                                   * (OpenFlow meters): the packet is dropped,
                                   * and no later action runs, if meter
                                   * 'meter_id' is over its rate. */
    /* MPLS: the label stack goes after the Ethernet header and VLAN tags. */
    DP_ACT_PUSH_MPLS = 15,        /* mpls_lse, mpls_ethertype: inserts
                                   * 'mpls_lse' as the new top entry and sets
                                   * the Ethernet type. */
    DP_ACT_POP_MPLS = 16,         /* mpls_ethertype: removes the top entry;
                                   * the Ethernet type becomes
                                   * 'mpls_ethertype'. */
    DP_ACT_SET_MPLS = 17,         /* mpls_lse: overwrites the top entry (a
                                   * rewrite: a non-MPLS packet is left as it
                                   * is). */
    /* Queues (OpenFlow set_queue/enqueue): the skb priority that Linux
     * qdiscs classify by.  XDP frames have none: tc runs these flows. */
    DP_ACT_SET_PRIORITY = 18,     /* priority: skb->priority for the outputs
                                   * that follow. */
    DP_ACT_POP_PRIORITY = 19,     /* Back to the priority the packet came
                                   * with. */
    /* Tunnels: what the next outputs to a tunnel port whose options say
     * key=flow / remote_ip=flow use (the packet's own tunnel metadata
     * until then).  Only tc can attach tunnel metadata: XDP passes such
     * flows to tc. */
    DP_ACT_SET_TUN_ID = 20,       /* tun_id (host order, low 32 bits). */
    DP_ACT_SET_TUN_DST = 21,      /* ipv4: outer destination. */
};

/* The skb priority of OpenFlow queue 'q': class q+1 of the qdisc with
 * handle 1: on the output port (TC_H_MAKE(1 << 16, q + 1)), as Open
 * vSwitch maps queues onto Linux QoS. */
#define DP_QUEUE_PRIORITY(Q) ((1u << 16) | (((Q) + 1) & 0xffff))

/* 8 bytes: the type, then the argument the type uses (see above). */
struct dp_action {
    union {
        struct {
            __u16 type;           /* enum dp_action_type */
            __u16 tci;
            __u32 port;
        };
        struct {
            __u16 type_mac_;
            __u8 mac[6];
        };
        struct {
            __u16 type_ipv4_, pad_ipv4_;
            __be32 ipv4;
        };
        struct {
            __u16 type_tp_;
            __be16 tp_port;
        };
        struct {
            __u16 type_ip_;
            __u8 tos, tos_mask;
        };
        struct {
            __u16 type_ttl_;
            __u8 ttl;
        };
        struct {
            __u16 type_meter_, pad_meter_;
            __u32 meter_id;       /* < DP_MAX_METERS. */
        };
        struct {
            __u16 type_prio_, pad_prio_;
            __u32 priority;
        };
        struct {
            __u16 type_tun_, pad_tun_;
            __u32 tun_id;
        };
        struct {
            __u16 type_mpls_;
            __be16 mpls_ethertype;
            __be32 mpls_lse;
        };
    };
};
_Static_assert(sizeof(struct dp_action) == 8, "dp_action is 8 bytes");

/* A megaflow's counters.  A flow whose 'handle' is below the size of the
 * 'flow_stats' array (BPF_F_MMAPABLE) is counted there, at index
 * 'handle', so that userspace reads them from its mapping with no system
 * call per flow; any other flow is counted in its own first fields
 * (struct dp_flow starts with the same three). */
struct dp_flow_counters {
    __u64 packets;
    __u64 bytes;
    __u64 used_ns;                /* CLOCK_MONOTONIC ns of the last hit. */
    __u64 tcp_flags;              /* OR of the TCP flags (low 12 bits of
                                   * the header's flags word) of the TCP
                                   * packets counted: userspace applies
                                   * fin_timeout actions when FIN or RST
                                   * shows.  (Was padding: same size.) */
};

/* A megaflow: actions plus counters (updated atomically by BPF). */
struct dp_flow {
    __u64 packets;
    __u64 bytes;
    __u64 used_ns;                /* CLOCK_MONOTONIC ns of the last hit. */
    __u32 n_actions;              /* 0 = drop. */
    __u32 handle;                 /* Userspace's number for its record of
                                   * the flow; the datapath only keeps it. */
    struct dp_action actions[DP_MAX_ACTIONS];
};
_Static_assert(__builtin_offsetof(struct dp_flow, used_ns)
               == __builtin_offsetof(struct dp_flow_counters, used_ns),
               "dp_flow starts like dp_flow_counters");

/* One entry of the mask list, probed in array order until !in_use. */
struct dp_mask {
    struct dp_key mask;
    __u32 id;                     /* Stable id used in dp_flow_key. */
    __u32 in_use;
};

/* Port flags for QoS (vswitchd/qos.h), apart from the others. */
#define DP_PORT_TC_ONLY  0x100    /* No XDP program: everything received
                                   * goes to tc, where a filter ahead of the
                                   * datapath's (ingress policing) sees it.
                                   * Userspace only (dpif-xdp.c). */
#define DP_PORT_TC_EGRESS 0x200   /* Has a root qdisc (QoS) that what goes
                                   * out must pass: outputs to it run in tc
                                   * (bpf_redirect goes through the qdisc),
                                   * never as an XDP redirect, which would
                                   * go around it. */

/* Port flags. */
#define DP_PORT_IN_USE   0x1
#define DP_PORT_XDP_TX   0x2      /* XDP may redirect into it (devmap). */
#define DP_PORT_INTERNAL 0x4      /* Output means "deliver to the host stack"
                                   * (redirect to its ingress); its egress is
                                   * the switch's ingress. */

#define DP_PORT_XDP_NATIVE 0x8     /* XDP attached in driver mode. */
#define DP_PORT_XDP_SKB  0x10     /* XDP attached in generic mode. */
#define DP_PORT_CREATED  0x20     /* A tap the datapath created. */
#define DP_PORT_TUNNEL   0x40     /* A tunnel port (vxlan, geneve): tc only;
                                   * several share the flow-based netdev
                                   * 'ifindex', told apart on receive by
                                   * the 'tun_ports' map. */

/* Port types (dp_port.type). */
#define DP_PORT_TYPE_SYSTEM   0
#define DP_PORT_TYPE_INTERNAL 1
#define DP_PORT_TYPE_TAP      2
#define DP_PORT_TYPE_VXLAN    3
#define DP_PORT_TYPE_GENEVE   4

/* dp_port.tun_flags. */
#define DP_TUN_KEY_FLOW    0x1    /* options:key=flow: the flow's tun_id. */
#define DP_TUN_REMOTE_FLOW 0x2    /* options:remote_ip=flow: its tun_dst. */

/* Outer TTL of what a tunnel port sends (Open vSwitch's default). */
#define DP_TUN_TTL 64

struct dp_port {
    __u32 ifindex;
    __u32 flags;
    __u32 type;                   /* DP_PORT_TYPE_*. */
    __u32 pad;
    char name[16];
    /* Tunnel ports only (DP_PORT_TUNNEL). */
    __be32 tun_remote;            /* Outer destination, unless REMOTE_FLOW. */
    __be32 tun_local;             /* Outer source, 0: the route's. */
    __u32 tun_key;                /* VNI (host order), unless KEY_FLOW. */
    __u16 tun_flags;              /* DP_TUN_*. */
    __u16 tun_udp_port;           /* Host order: 4789, 6081... */
};
_Static_assert(sizeof(struct dp_port) == 48, "dp_port has no hidden padding");

/* Counters of a tunnel port (which has no netdev of its own to count),
 * per CPU in the 'tun_stats' map, indexed by port number.  "rx" is what
 * came in from the tunnel, "tx" what the switch sent into it; a GSO skb
 * counts as its segments. */
struct dp_tun_stats {
    __u64 rx_packets;
    __u64 rx_bytes;
    __u64 tx_packets;
    __u64 tx_bytes;
};

/* Key of the 'tun_ports' map: which tunnel port a packet received on
 * netdev 'ifindex' with outer source 'remote' and VNI 'key' belongs to.
 * A port with key=flow is entered with key 0 and 'wild' DP_TUN_KEY_FLOW,
 * one with remote_ip=flow with remote 0 and DP_TUN_REMOTE_FLOW; the
 * datapath tries the exact entry first, then the wildcarded ones. */
struct dp_tun_port_key {
    __u32 ifindex;
    __be32 remote;
    __u32 key;
    __u32 wild;                   /* DP_TUN_* bits. */
};

/* Meters: token buckets in the 'meters' array map, indexed by meter id.
 * Tokens count in units of 1e-9 packet (packet meters) or 1e-6 bit (kbit/s
 * meters), so that 'rate' times the nanoseconds elapsed is the refill. */
#define DP_MAX_METERS 1024
#define DP_METER_IN_USE 0x1
#define DP_METER_PKTPS  0x2       /* 'rate' in packets/s, 'burst' packets;
                                   * else kbit/s and kbit. */
#define DP_METER_MAX_RATE 100000000u  /* 100 Gbit/s or 100 Mpkt/s. */

struct dp_meter {
    struct bpf_spin_lock lock;    /* Guards tokens and last_ns. */
    __u32 flags;
    __u32 rate;
    __u32 burst;                  /* Bucket size; at least one packet. */
    __s64 tokens;
    __u64 last_ns;                /* CLOCK_MONOTONIC of the last refill. */
    __u64 n_packets;              /* Passed the meter. */
    __u64 n_bytes;
    __u64 n_dropped;              /* Dropped by its band. */
};
_Static_assert(sizeof(struct dp_meter) == 56, "dp_meter has no hidden padding");

/* Datapath-wide switches in the 'config' array map. */
#define DP_CFG_XDP_FLOOD 0        /* Every port is in tx_ports: XDP may
                                   * flood by devmap broadcast. */
#define DP_CFG_N 4

/* Global counters, per CPU. */
enum dp_stat {
    DP_STAT_HIT,                  /* Megaflow hits (XDP and tc). */
    DP_STAT_MISSED,               /* Upcalls sent. */
    DP_STAT_LOST,                 /* Upcalls lost: ring buffer full. */
    DP_STAT_MASK_PROBES,          /* Masks probed, summed over lookups. */
    DP_STAT_XDP_FWD,              /* Forwarded by XDP itself. */
    DP_STAT_N
};

/* Upcall reasons. */
#define DP_UPCALL_MISS   1
#define DP_UPCALL_ACTION 2

/* An upcall record in the ring buffer, followed by 'cap_len' packet bytes. */
struct dp_upcall {
    __u32 reason;
    __u32 pkt_len;                /* Whole packet length. */
    __u32 cap_len;                /* Bytes that follow. */
    __u32 gso_size;               /* skb's GSO segment size, 0 if none. */
    struct dp_key key;
};

/* Per-CPU scratch where tc assembles an upcall too big for a fixed-size
 * ring buffer reservation. */
struct dp_upcall_big {
    struct dp_upcall hdr;
    __u8 data[DP_UPCALL_MAX_BIG];
};

#endif /* dp-key.h */
