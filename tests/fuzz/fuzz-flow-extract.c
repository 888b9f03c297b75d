/* Fuzz target for flow_extract() and the packet buffer's push/pop.
 *
 * With libFuzzer ("tests/fuzz/run-fuzz.sh flow-extract" builds it with
 * clang -fsanitize=fuzzer,address), the engine calls
 * LLVMFuzzerTestOneInput().  Without it (make check) tests/fuzz/fuzz-main.c
 * replays the committed corpus: files named on the command line, or every
 * file in $top_srcdir/tests/fuzz/corpus/flow-extract/.
 *
 * Beyond "no crash", each input checks properties that must hold for any
 * bytes: pad fields stay zero, offsets stay inside the frame, the flow
 * matches itself under the packet's own mask, a VLAN push then pop gives
 * back the same bytes, composing a frame from the flow and parsing it
 * gives the same flow, and rewriting IPv4 addresses and L4 ports keeps a
 * checksum that was right before right after. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "dynamic-string.h"
#include "flow.h"
#include "flow-compose.h"
#include "fuzz-main.h"
#include "packet-rewrite.h"

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: property failed: %s\n",             \
                    __FILE__, __LINE__, #COND);                         \
            abort();                                                    \
        }                                                               \
    } while (0)

static bool
all_zero(const void *p_, size_t n)
{
    const uint8_t *p = p_;
    while (n--) {
        if (*p++) {
            return false;
        }
    }
    return true;
}

/* True if the IPv4 header at l3 and the TCP/UDP segment at l4 (by the IP
 * total length) both check out; false if either is wrong or absent. */
static bool
ipv4_csums_ok(const struct dp_packet *b, const struct flow *flow)
{
    const struct ip_header *ip = dp_packet_l3(b);
    const uint8_t *l4 = dp_packet_l4(b);
    size_t hlen, tot;

    if (flow->dl_type != htons(ETH_TYPE_IP) || !ip || !l4
        || (flow->nw_proto != IPPROTO_TCP && flow->nw_proto != IPPROTO_UDP)) {
        return false;
    }
    hlen = IP_IHL(ip->ip_ihl_ver) * 4;
    tot = ntohs(ip->ip_tot_len);
    if (flow->nw_proto == IPPROTO_UDP && tot >= hlen + UDP_HEADER_LEN
        && !((const struct udp_header *) l4)->udp_csum) {
        return false;                   /* No checksum to keep. */
    }
    return (csum(ip, hlen) == 0
            && packet_csum_l4_ipv4(ip, l4, tot - hlen) == 0);
}

static void
check_rewrites_keep_csums(const uint8_t *data, size_t size)
{
    struct dp_packet *b = dp_packet_clone_data(data, size);
    struct flow flow;

    flow_extract(b, &flow);
    if (ipv4_csums_ok(b, &flow)) {
        CHECK(!packet_set_ipv4(b, flow.nw_dst ^ htonl(0x01020304), flow.nw_src,
                               flow.nw_tos ^ 0xfc, flow.nw_ttl - 1));
        if (flow.nw_proto == IPPROTO_TCP) {
            CHECK(!packet_set_tcp_port(b, flow.tp_dst, htons(0xfedc)));
        } else {
            CHECK(!packet_set_udp_port(b, flow.tp_dst, htons(0xfedc)));
        }
        flow_extract(b, &flow);
        CHECK(ipv4_csums_ok(b, &flow));
    }
    dp_packet_delete(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flow_wildcards wc;
    struct dp_packet c, *b;
    struct flow flow, again;
    char *s;

    dp_packet_use_const(&c, data, size);
    flow_extract(&c, &flow);
    CHECK(all_zero(flow.pad1, sizeof flow.pad1));
    CHECK(all_zero(flow.pad2, sizeof flow.pad2));
    CHECK(all_zero(flow.pad3, sizeof flow.pad3));
    CHECK(c.l3_ofs == DP_PACKET_OFS_NONE || c.l3_ofs <= size);
    CHECK(c.l4_ofs == DP_PACKET_OFS_NONE || (c.l3_ofs != DP_PACKET_OFS_NONE
                                             && c.l3_ofs < c.l4_ofs
                                             && c.l4_ofs <= size));

    flow_wildcards_init_for_packet(&wc, &flow);
    CHECK(flow_equal_masked(&flow, &flow, &wc));
    again = flow;
    flow_zero_wildcards(&again, &wc);
    CHECK(flow_hash(&again, 0) == flow_hash_masked(&flow, &wc, 0));

    s = flow_to_string(&flow);
    CHECK(s[0] != '\0' || size < 2 * ETH_ADDR_LEN);
    free(s);

    b = dp_packet_new(0);
    flow_compose(b, &flow);
    flow_extract(b, &again);
    if (!flow_equal(&flow, &again)) {
        char *s1 = flow_to_string(&flow), *s2 = flow_to_string(&again);
        fprintf(stderr, "extracted %s\ncomposed  %s\n", s1, s2);
        CHECK(flow_equal(&flow, &again));
    }
    dp_packet_delete(b);

    /* Push then pop a tag: the frame must come back unchanged. */
    b = dp_packet_clone_data(data, size);
    if (!eth_push_vlan(b, htons(ETH_TYPE_VLAN_8021AD), htons(0x1234))) {
        CHECK(dp_packet_size(b) == size + VLAN_HEADER_LEN);
        flow_extract(b, &again);
        CHECK(again.vlans[0].tci == htons(0x1234 | VLAN_CFI));
        CHECK(eth_pop_vlan(b) == 0);
        CHECK(dp_packet_size(b) == size && !memcmp(dp_packet_data(b), data, size));
    } else {
        CHECK(size < ETH_HEADER_LEN);
    }
    dp_packet_delete(b);

    check_rewrites_keep_csums(data, size);
    return 0;
}

#ifndef VS_LIBFUZZER
const struct fuzz_replay fuzz_replay = {
    .corpus = "tests/fuzz/corpus/flow-extract",
    .min_inputs = 10,
};
#endif
