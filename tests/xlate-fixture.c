/* The translation tests' bridge: see xlate-fixture.h. */
#include <config.h>
#include "xlate-fixture.h"
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "ofp-errors.h"
#include "ofp-flow.h"
#include "ofp-parse.h"
#include "ofproto/mac-learning.h"
#include "ofproto/ofproto.h"
#include "packets.h"

struct ofproto *ofp;
struct mac_learning *ml;
struct normal_bridge nb;
struct xlate_out xo;

void
xlate_fixture_setup(void)
{
    ofp = ofproto_create("br0", NULL, NULL, NULL);
    ml = mac_learning_create(0);
    normal_bridge_init(&nb, ml);
    for (uint32_t i = 1; i <= XLATE_FIXTURE_PORTS; i++) {
        struct ofp_port p;
        memset(&p, 0, sizeof p);
        p.port_no = i;
        snprintf(p.name, sizeof p.name, "p%u", i);
        p.state = OFPPS_LIVE;
        ofproto_port_add(ofp, &p);
        normal_port_set(&nb, i, PORT_VLAN_DEFAULT, -1, NULL, 0);
    }
    xlate_out_init(&xo);
}

void
xlate_fixture_teardown(void)
{
    xlate_out_uninit(&xo);
    normal_bridge_destroy(&nb);
    mac_learning_destroy(ml);
    ofproto_destroy(ofp);
}

void
xf_add_flow(const char *s)
{
    struct ofp_flow_mod fm;
    ofp_flow_mod_init(&fm);
    char *err = ofp_parse_flow_mod(s, OFPFC_ADD, &fm);
    ck_assert_msg(!err, "%s: %s", s, err);
    enum ofperr e = ofproto_flow_mod(ofp, &fm);
    ck_assert_msg(!e, "%s: %s", s, ofperr_get_name(e));
    ofp_flow_mod_uninit(&fm);
}

void
xf_run(const struct dp_key *key)
{
    struct xlate_in xin = {
        .ofproto = ofp, .nb = &nb, .key = key, .learn = true, .now = 1000,
    };
    xlate_actions(&xin, &xo);
}

struct dp_key
xf_tcp_key(uint32_t in_port, uint8_t src, uint8_t dst, uint32_t nw_dst)
{
    struct dp_key k;
    memset(&k, 0, sizeof k);
    k.in_port = in_port;
    k.eth_src[0] = 0x02;
    k.eth_src[5] = src;
    k.eth_dst[0] = 0x02;
    k.eth_dst[5] = dst;
    k.eth_type = htons(ETH_TYPE_IP);
    k.nw_src = htonl(0x0a000001);
    k.nw_dst = htonl(nw_dst);
    k.nw_proto = IPPROTO_TCP;
    k.nw_ttl = 64;
    k.tp_src = htons(1234);
    k.tp_dst = htons(80);
    return k;
}
