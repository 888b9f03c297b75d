/* Unit tests for the Nicira registers in the codecs: reg0..15 matches in
 * NXM (OpenFlow 1.0), inside OXM (NXM_NX_REGn, class 0x0001, in 1.3) and
 * as OpenFlow 1.5's packet registers (xregs, class 0x8001); load, move,
 * set_field and output:FIELD[] naming registers, xregs and xxregs.
 *
 * The golden messages are the bytes Debian's ovs-ofctl 3.1 sends for
 *   reg0=5,reg1=0x10/0xf0,xreg2=0x1/0x1,actions=load:1->reg0[3..7],
 *   move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],output:reg0[0..15],
 *   output:xreg1[0..15],set_field:0x5->xreg3
 * (captured with tests/ofp-capture.py): ours must be the same bytes, and
 * decode to the text ovs-ofctl prints.  Bad register TLVs and actions get
 * the exact error. */
#include <config.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-ofp-util.h"
#include "dynamic-string.h"
#include "flow.h"
#include "match.h"
#include "nxm.h"
#include "ofp-actions.h"
#include "ofp-buf.h"
#include "ofp-fields.h"
#include "ofp-flow.h"
#include "ofp-msgs.h"
#include "ofp-nx.h"
#include "ofp-parse.h"
#include "ofp-print.h"
#include "ofp-switch.h"
#include "oxm.h"
#include "util.h"

static const char flow_text[] =
    "reg0=5,reg1=0x10/0xf0,xreg2=0x1/0x1,actions=load:1->reg0[3..7],"
    "move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],output:reg0[0..15],"
    "output:xreg1[0..15],set_field:0x5->xreg3";

/* What ovs-ofctl prints for the flow (after "ADD "), in 1.0 and 1.3. */
static const char text10[] =
    "reg0=0x5,reg1=0x10/0xf0,reg5=0x1/0x1 actions=load:0x1->NXM_NX_REG0[3..7],"
    "move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],output:NXM_NX_REG0[0..15],"
    "output:OXM_OF_PKT_REG1[0..15],load:0x5->OXM_OF_PKT_REG3[]";
static const char text13[] =
    "reg0=0x5,reg1=0x10/0xf0,reg5=0x1/0x1 actions=load:0x1->NXM_NX_REG0[3..7],"
    "move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],output:NXM_NX_REG0[0..15],"
    "output:OXM_OF_PKT_REG1[0..15],set_field:0x5->xreg3";

static const char golden10[] =
    "010400c800000004000023200000000d00000000000000000000000000008000"
    "ffffffffffff0000002000000000000000010004000000050001030800000010"
    "000000f000010b080000000100000001ffff001800002320000700c400010004"
    "0000000000000001ffff00180000232000060010000000000000000200010204"
    "ffff001800002320000f000f00010004ffff000000000000ffff001800002320"
    "000f000f80010208ffff000000000000ffff0018000023200007003f80010608"
    "0000000000000005";

static const char golden13[] =
    "040e00d000000002000000000000000000000000000000000000000000008000"
    "ffffffffffffffffffffffff0000000000010024000100040000000500010308"
    "00000010000000f000010b080000000100000001000000000004007800000000"
    "ffff001800002320000700c4000100040000000000000001ffff001800002320"
    "00060010000000000000000200010204ffff001800002320000f000f00010004"
    "ffff000000000000ffff001800002320000f000f80010208ffff000000000000"
    "00190010800106080000000000000005";

/* OpenFlow 1.5: the registers are xregs in the match. */
static const char flow_text15[] =
    "reg0=5,reg1=0x10/0xf0,xreg2=0x1/0x1,actions=set_field:5->reg0,"
    "set_field:0x5->xreg3,output:reg0[0..15]";
static const char text15[] =
    "reg0=0x5,reg1=0x10/0xf0,reg5=0x1/0x1 actions=set_field:0x5->reg0,"
    "set_field:0x5->xreg3,output:NXM_NX_REG0[0..15]";
static const char golden15[] =
    "060e00a000000002000000000000000000000000000000000000000000008000"
    "ffffffffffffffffffffffff000000000001002c800101100000000500000010"
    "ffffffff000000f0800105100000000000000001000000000000000100000000"
    "0004004000000000001900100001000400000005000000000019001080010608"
    "0000000000000005ffff001800002320000f000f00010004ffff000000000000";

START_TEST(test_nxm_flow_mod_is_what_ovs_ofctl_sends)
{
    struct ofp_flow_mod fm, fm2;
    test_parse_flow(flow_text, &fm);
    struct ofpbuf *msg;
    ck_assert_int_eq(nx_flow_mod_encode(&fm, false, 4, &msg), 0);
    test_check_bytes(msg, golden10);

    ofp_flow_mod_init(&fm2);
    struct ofpbuf *theirs = test_ofpbuf_from_hex(golden10);
    enum ofperr e = nx_flow_mod_decode(theirs->data, theirs->size, false, &fm2);
    ck_assert_msg(!e, "%s", ofperr_get_name(e));
    ck_assert(match_equal(&fm.match, &fm2.match));
    test_check_flow_text(&fm2, text10);
    ofpbuf_delete(theirs);
    ofpbuf_delete(msg);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&fm2);
}
END_TEST

static void
check_oxm_version(uint8_t version, const char *text, const char *golden,
                  const char *want_text)
{
    struct ofp_flow_mod fm, fm2;
    test_parse_flow(text, &fm);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, version, 2, &msg), 0);
    test_check_bytes(msg, golden);

    ofp_flow_mod_init(&fm2);
    struct ofpbuf *theirs = test_ofpbuf_from_hex(golden);
    enum ofperr e = ofp_flow_mod_decode(theirs->data, theirs->size, &fm2);
    ck_assert_msg(!e, "%s", ofperr_get_name(e));
    ck_assert(match_equal(&fm.match, &fm2.match));
    test_check_flow_text(&fm2, want_text);
    ofpbuf_delete(theirs);
    ofpbuf_delete(msg);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&fm2);
}

START_TEST(test_oxm13_flow_mod_is_what_ovs_ofctl_sends)
{
    check_oxm_version(OFP13_VERSION, flow_text, golden13, text13);
}
END_TEST

/* flow_text in OF1.5: the load is a masked set_field, the move a
 * copy_field (as ovs-ofctl -O OpenFlow15 sends them). */
static const char golden15_load_move[] =
    "060e00d000000002000000000000000000000000000000000000000000008000"
    "ffffffffffffffffffffffff000000000001002c800101100000000500000010"
    "ffffffff000000f0800105100000000000000001000000000000000100000000"
    "0004007000000000001900100001010800000008000000f8001c001800100000"
    "00000000000000020001020400000000ffff001800002320000f000f00010004"
    "ffff000000000000ffff001800002320000f000f80010208ffff000000000000"
    "00190010800106080000000000000005";
static const char text15_load_move[] =
    "reg0=0x5,reg1=0x10/0xf0,reg5=0x1/0x1 actions=load:0x1->NXM_NX_REG0[3..7],"
    "move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],output:NXM_NX_REG0[0..15],"
    "output:OXM_OF_PKT_REG1[0..15],set_field:0x5->xreg3";

START_TEST(test_oxm15_registers_are_packet_registers)
{
    check_oxm_version(OFP15_VERSION, flow_text15, golden15, text15);
    check_oxm_version(OFP15_VERSION, flow_text, golden15_load_move,
                      text15_load_move);
}
END_TEST

/* OFPAT_COPY_FIELD and masked set_field, spoiled. */
START_TEST(test_bad_of15_loads_and_moves)
{
    struct {
        const char *hex;
        uint8_t version;
        enum ofperr error;
    } cases[] = {
        /* move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15]. */
        { "001c00180010000000000000000000020001020400000000", 6, 0 },
        { "001c00180011000000000000000000020001020400000000", 6,
          OFPERR_OFPBAC_BAD_SET_ARGUMENT },            /* 17 bits. */
        { "001c00180010000000000000000000020001fe0400000000", 6,
          OFPERR_OFPBAC_BAD_SET_TYPE },                /* No such field. */
        { "001c0010001000000000000000000002", 6, OFPERR_OFPBAC_BAD_LEN },
        /* The same bytes are no action in OF1.3. */
        { "001c00180010000000000000000000020001020400000000", 4,
          OFPERR_OFPBAC_BAD_TYPE },
        /* set_field:0x8/0xf8->reg0: OF1.5 only. */
        { "001900100001010800000008000000f8", 6, 0 },
        { "001900100001010800000008000000f8", 4,
          OFPERR_OFPBAC_BAD_SET_ARGUMENT },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ofpbuf *b = test_ofpbuf_from_hex(cases[i].hex);
        struct ofpacts o;
        ofpacts_init(&o);
        enum ofperr e = ofpacts_pull_actions(b, b->size, cases[i].version, &o);
        ck_assert_msg(e == cases[i].error, "case %zu: %s", i,
                      ofperr_get_name(e));
        if (!e && i == 5) {
            struct ds s = DS_EMPTY_INITIALIZER;
            ofpacts_format(&o, &s);
            ck_assert_str_eq(ds_cstr(&s), "load:0x1->NXM_NX_REG0[3..7]");
            ds_destroy(&s);
        }
        ofpacts_uninit(&o);
        ofpbuf_delete(b);
    }
}
END_TEST

/* Every register and view: parse -> NXM and OXM (1.3, 1.5) -> decode ->
 * the same match, printed as ovs-ofctl prints it. */
START_TEST(test_register_matches_round_trip)
{
    static const struct { const char *in, *out; } cases[] = {
        { "reg0=0", "reg0=0" },
        { "reg15=0xffffffff", "reg15=0xffffffff" },
        { "reg3=0/0x1,reg2=0x10/0x10", "reg2=0x10/0x10,reg3=0/0x1" },
        { "xreg0=0x100000002", "reg0=0x1,reg1=0x2" },
        { "xreg7=0xffffffff00000000/0xffffffff00000000", "reg14=0xffffffff" },
        { "xxreg3=0x1000000020000000300000004",
          "reg12=0x1,reg13=0x2,reg14=0x3,reg15=0x4" },
        { "xxreg0=0x1/0xff", "reg3=0x1/0xff" },
        { "tcp,reg9=7,tp_dst=80,metadata=0", "tcp,reg9=0x7,metadata=0,tp_dst=80" },
        /* What learn's NXM_OF_VLAN_TCI[0..11] makes: a VID, tag or not. */
        { "vlan_tci=0/0xfff,reg0=1", "reg0=0x1,vlan_tci=0x0000/0x0fff" },
        { "vlan_tci=0x5/0xfff", "vlan_tci=0x0005/0x0fff" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct match m;
        int priority;
        char *error = ofp_parse_match(cases[i].in, &m, &priority);
        ck_assert_msg(!error, "%s: %s", cases[i].in, error);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_match_format(&m, priority, &s);
        ck_assert_msg(!strcmp(ds_cstr(&s), cases[i].out), "%s: got %s",
                      cases[i].in, ds_cstr(&s));
        ds_destroy(&s);

        struct ofpbuf b;
        ofpbuf_init(&b, 256);
        nxm_put_fields(&b, &m);
        struct match m2;
        enum ofperr e = nxm_decode_fields(b.data, b.size, &m2);
        ck_assert_msg(!e, "%s: NXM %s", cases[i].in, ofperr_get_name(e));
        ck_assert_msg(match_equal(&m, &m2), "%s: NXM", cases[i].in);
        for (uint8_t v = OFP13_VERSION; v <= OFP15_VERSION; v++) {
            ofpbuf_clear(&b);
            oxm_put_fields(&b, &m, v);
            e = oxm_decode_fields(b.data, b.size, &m2);
            ck_assert_msg(!e, "%s: OXM %d %s", cases[i].in, v,
                          ofperr_get_name(e));
            ck_assert_msg(match_equal(&m, &m2), "%s: OXM %d", cases[i].in, v);
        }
        ofpbuf_uninit(&b);
    }
}
END_TEST

static enum ofperr
decode_nxm_hex(const char *hex)
{
    struct ofpbuf *b = test_ofpbuf_from_hex(hex);
    struct match m;
    enum ofperr e = nxm_decode_fields(b->data, b->size, &m);
    ofpbuf_delete(b);
    return e;
}

START_TEST(test_bad_register_tlvs)
{
    /* A 3-byte register. */
    ck_assert_int_eq(decode_nxm_hex("00010003000005"), OFPERR_OFPBMC_BAD_LEN);
    /* A masked register whose mask is 3 + 3 bytes. */
    ck_assert_int_eq(decode_nxm_hex("00010306000005000005"),
                     OFPERR_OFPBMC_BAD_LEN);
    /* Value bits outside the mask. */
    ck_assert_int_eq(decode_nxm_hex("000103080000001100000010"),
                     OFPERR_OFPBMC_BAD_WILDCARDS);
    /* Twice reg0; reg1 then xreg0, which covers it. */
    ck_assert_int_eq(decode_nxm_hex("00010004000000050001000400000006"),
                     OFPERR_OFPBMC_DUP_FIELD);
    ck_assert_int_eq(decode_nxm_hex("0001020400000005"
                                    "800100080000000000000001"),
                     OFPERR_OFPBMC_DUP_FIELD);
    /* No such NXM_NX field; no such packet register. */
    ck_assert_int_eq(decode_nxm_hex("0001fe0400000005"),
                     OFPERR_OFPBMC_BAD_FIELD);
    ck_assert_int_eq(decode_nxm_hex("800110080000000000000001"),
                     OFPERR_OFPBMC_BAD_FIELD);
    /* An xreg of 4 bytes. */
    ck_assert_int_eq(decode_nxm_hex("8001000400000001"), OFPERR_OFPBMC_BAD_LEN);
    /* Good ones for contrast: reg0 and xreg1 do not overlap. */
    ck_assert_int_eq(decode_nxm_hex("0001000400000005"
                                    "800102080000000000000001"), 0);
}
END_TEST

/* Decodes one Nicira action given in hex (after the vendor header). */
static enum ofperr
decode_action_hex(const char *hex)
{
    struct ofpbuf *b = test_ofpbuf_from_hex(hex);
    struct ofpacts o;
    ofpacts_init(&o);
    enum ofperr e = ofpacts_pull_actions(b, b->size, OFP10_VERSION, &o);
    ofpacts_uninit(&o);
    ofpbuf_delete(b);
    return e;
}

START_TEST(test_bad_register_actions)
{
    /* output:reg0[0..15] as ovs-ofctl sends it, then spoiled. */
    ck_assert_int_eq(decode_action_hex(
        "ffff001800002320000f000f00010004ffff000000000000"), 0);
    ck_assert_int_eq(decode_action_hex(
        "ffff001800002320000f000f00010004ffff000000000001"),
        OFPERR_OFPBAC_BAD_ARGUMENT);          /* Nonzero padding. */
    ck_assert_int_eq(decode_action_hex(
        "ffff001800002320000f07cf00010004ffff000000000000"),
        OFPERR_OFPBAC_BAD_ARGUMENT);          /* Bits 31..46 of reg0. */
    ck_assert_int_eq(decode_action_hex(
        "ffff001800002320000f000f0001fe04ffff000000000000"),
        OFPERR_OFPBAC_BAD_ARGUMENT);          /* No such field. */
    ck_assert_int_eq(decode_action_hex("ffff001000002320000f000f00010004"),
                     OFPERR_OFPBAC_BAD_LEN);
    /* NXAST_OUTPUT_REG2: ofs_nbits, max_len, then the header. */
    ck_assert_int_eq(decode_action_hex(
        "ffff0018" "00002320" "0020" "000f" "ffff" "00010004" "000000000000"), 0);
    /* load:1->reg0[31..32]: past the register. */
    ck_assert_int_eq(decode_action_hex(
        "ffff001800002320000707c1000100040000000000000001"),
        OFPERR_OFPBAC_BAD_SET_ARGUMENT);
    /* move of 17 bits from the 16-bit NXM in_port. */
    ck_assert_int_eq(decode_action_hex(
        "ffff00180000232000060011000000000000000200010204"),
        OFPERR_OFPBAC_BAD_SET_ARGUMENT);
}
END_TEST

/* load and move on registers and their views, as xlate applies them. */
START_TEST(test_register_loads_and_moves_apply)
{
    struct ofpacts o;
    ofpacts_init(&o);
    ck_assert_ptr_null(ofp_parse_actions(
        "load:0x5->NXM_NX_REG0[],load:1->reg0[3..7],"
        "load:0x100000002->xreg1[],load:0xff->xxreg3[120..127],"
        "move:NXM_OF_IN_PORT[]->NXM_NX_REG4[16..31],"
        "move:reg3[]->NXM_NX_TUN_ID[0..31],set_field:0x9->reg5", NULL, &o));
    struct flow f;
    memset(&f, 0, sizeof f);
    f.in_port = OFPP_LOCAL;
    for (size_t i = 0; i < o.n; i++) {
        const struct ofpact *a = &o.acts[i];
        if (a->type == OFPACT_REG_LOAD) {
            ofpact_load_apply(a, &f);
        } else if (a->type == OFPACT_REG_MOVE) {
            ofpact_move_apply(a, &f);
        } else {
            ck_assert_int_eq(a->type, OFPACT_SET_FIELD);
            ofp_field_set_flow(ofp_field_get(a->u.set_field.field),
                               &a->u.set_field.value, &f);
        }
    }
    ck_assert_uint_eq(f.regs[0], 0x5 | (1 << 3));
    ck_assert_uint_eq(f.regs[2], 1);            /* xreg1: reg2 high. */
    ck_assert_uint_eq(f.regs[3], 2);
    ck_assert_uint_eq(f.regs[12], 0xff000000);  /* xxreg3: reg12 high. */
    ck_assert_uint_eq(f.regs[4], 0xfffe0000);   /* LOCAL in 16 bits. */
    ck_assert_uint_eq(vs_ntohll(f.tun_id), 2);
    ck_assert_uint_eq(f.regs[5], 9);
    ck_assert_uint_eq(ofpact_subfield_read(OFPF_XREG(2), 48, 16, &f), 0xfffe);
    ofpacts_uninit(&o);

    /* The parser refuses what does not fit. */
    static const char *const bad[] = {
        "load:0x100000000->reg0[]", "load:1->reg0[32]", "move:reg0[]->reg1[0..15]",
        "output:reg16[]", "output:reg0[0..64]", "set_field:0x100000000->reg0",
        "load:1->xxreg4[]",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        ofpacts_init(&o);
        char *error = ofp_parse_actions(bad[i], NULL, &o);
        ck_assert_msg(error != NULL, "%s parsed", bad[i]);
        free(error);
        ofpacts_uninit(&o);
    }
}
END_TEST

/* A note longer than one ofpact holds, in OpenFlow 1.3, also in the
 * action set: encoded in one action, printed once, padded as Open vSwitch
 * pads it; one past the limit is refused. */
START_TEST(test_long_notes)
{
    struct ds in = DS_EMPTY_INITIALIZER, want = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&in, "actions=note:");
    for (int i = 0; i < 100; i++) {
        ds_put_format(&in, "%s%02x", i ? "." : "", i);
    }
    ds_put_cstr(&want, ds_cstr(&in) + 8);
    ds_put_cstr(&want, ".00.00");           /* 10 + 100 bytes -> 112. */
    char *n = xstrdup(ds_cstr(&in) + 8), *w = xstrdup(ds_cstr(&want));
    ds_clear(&in);
    ds_put_format(&in, "actions=%s,output:2,write_actions(%s,output:1)", n, n);
    ds_clear(&want);
    ds_put_format(&want, "actions=%s,output:2,write_actions(%s,output:1)", w, w);

    struct ofp_flow_mod fm, fm2;
    test_parse_flow(ds_cstr(&in), &fm);
    struct ofpbuf *msg;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm, OFP13_VERSION, 2, &msg), 0);
    ofp_flow_mod_init(&fm2);
    enum ofperr e = ofp_flow_mod_decode(msg->data, msg->size, &fm2);
    ck_assert_msg(!e, "%s", ofperr_get_name(e));
    test_check_flow_text(&fm2, ds_cstr(&want));
    /* Encoded again, the same bytes. */
    struct ofpbuf *msg2;
    ck_assert_int_eq(ofp_flow_mod_encode(&fm2, OFP13_VERSION, 2, &msg2), 0);
    ck_assert_uint_eq(msg->size, msg2->size);
    ck_assert(!memcmp(msg->data, msg2->data, msg->size));
    ofpbuf_delete(msg);
    ofpbuf_delete(msg2);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&fm2);

    struct ofpacts o;
    ofpacts_init(&o);
    ds_clear(&in);
    ds_put_cstr(&in, "note:");
    for (int i = 0; i <= OFPACT_NOTE_LIMIT; i++) {
        ds_put_cstr(&in, "ab");
    }
    char *error = ofp_parse_actions(ds_cstr(&in), NULL, &o);
    ck_assert_ptr_nonnull(error);
    free(error);
    ofpacts_uninit(&o);
    free(n);
    free(w);
    ds_destroy(&in);
    ds_destroy(&want);
}
END_TEST

/* learn: the flow_mod ovs-ofctl -O OpenFlow13 sends (two learns, every
 * kind of spec) is ours byte for byte and reads back as it prints it. */
static const char learn_text[] =
    "ip,actions=learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],"
    "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
    "load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[]),"
    "learn(table=2,idle_timeout=10,priority=5,cookie=0x9,send_flow_rem,"
    "eth_type=0x800,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],load:5->reg1[],"
    "reg2[0..3]=3)";
static const char learn_printed[] =
    "ip actions=learn(table=1,hard_timeout=60,NXM_OF_VLAN_TCI[0..11],"
    "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
    "load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[]),"
    "learn(table=2,idle_timeout=10,priority=5,send_flow_rem,cookie=0x9,"
    "eth_type=0x800,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],"
    "load:0x5->NXM_NX_REG1[],NXM_NX_REG2[0..3]=0x3)";
static const char learn_golden13[] =
    "040e00f000000002000000000000000000000000000000000000000000008000"
    "ffffffffffffffffffffffff000000000001000a80000a020800000000000000"
    "000400b000000000ffff00580000232000100000003c80000000000000000000"
    "0000010000000000000c00000802000000000802000000300000040600000000"
    "0206000008100000000200000001000400001010000000020000000000000000"
    "ffff0050000023200010000a0000000500000000000000090001020000000000"
    "20100800000006020000002000000e0400000000100400002820000000050001"
    "02040000200400030001040400000000";

START_TEST(test_learn_is_what_ovs_ofctl_sends)
{
    check_oxm_version(OFP13_VERSION, learn_text, learn_golden13,
                      learn_printed);
}
END_TEST

/* The first learn of learn_golden13 (88 bytes), spoiled in one place. */
static const char learn_action[] =
    "ffff00580000232000100000003c800000000000000000000000010000000000"
    "000c000008020000000008020000003000000406000000000206000008100000"
    "000200000001000400001010000000020000000000000000";

static enum ofperr
decode_learn_spoiled(size_t ofs, uint8_t byte, size_t cut)
{
    struct ofpbuf *b = test_ofpbuf_from_hex(learn_action);
    if (ofs < b->size) {
        b->data[ofs] = byte;
    }
    if (cut) {
        b->size -= cut;
        put_be16(b->data + 2, b->size);
    }
    struct ofpacts o;
    ofpacts_init(&o);
    enum ofperr e = ofpacts_pull_actions(b, b->size, OFP13_VERSION, &o);
    ofpacts_uninit(&o);
    ofpbuf_delete(b);
    return e;
}

START_TEST(test_bad_learns)
{
    ck_assert_int_eq(decode_learn_spoiled(SIZE_MAX, 0, 0), 0);
    /* Table 255; the pad byte after the table. */
    ck_assert_int_eq(decode_learn_spoiled(26, 0xff, 0),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    ck_assert_int_eq(decode_learn_spoiled(27, 1, 0), OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Unknown flags. */
    ck_assert_int_eq(decode_learn_spoiled(25, 4, 0), OFPERR_OFPBAC_BAD_ARGUMENT);
    /* First spec: reserved header bits; destination type 3. */
    ck_assert_int_eq(decode_learn_spoiled(32, 0x80, 0),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    ck_assert_int_eq(decode_learn_spoiled(32, 0x18, 0),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Its source field: no such header. */
    ck_assert_int_eq(decode_learn_spoiled(35, 0x7f, 0),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Bits 12..23 of the 16-bit VLAN TCI. */
    ck_assert_int_eq(decode_learn_spoiled(39, 12, 0),
                     OFPERR_OFPBAC_BAD_ARGUMENT);
    /* Junk in the padding after the last spec. */
    ck_assert_int_eq(decode_learn_spoiled(87, 1, 0), OFPERR_OFPBAC_BAD_ARGUMENT);
    /* The output spec cut short. */
    ck_assert_int_eq(decode_learn_spoiled(SIZE_MAX, 0, 8), OFPERR_OFPBAC_BAD_LEN);

    /* The parser refuses what the wire could not carry or the learned
     * flow could not have. */
    static const char *const bad[] = {
        "learn(table=255)", "learn(NXM_OF_ETH_DST[0..3]=NXM_OF_ETH_SRC[0..2])",
        "learn(NXM_OF_IP_DST[]=NXM_OF_IP_SRC[])", "learn(load:1->in_port16[])",
        "learn(reg0[0..3]=0x10)", "learn(output:0x5)", "learn(nosuch=1)",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct ofp_flow_mod fm;
        ofp_flow_mod_init(&fm);
        char *text = xasprintf("ip,actions=%s", bad[i]);
        char *error = ofp_parse_flow_mod(text, OFPFC_ADD, &fm);
        ck_assert_msg(error != NULL, "%s parsed", bad[i]);
        free(error);
        free(text);
        ofp_flow_mod_uninit(&fm);
    }
}
END_TEST

/* Packet-ins carry the registers that are not zero, in OF1.3's OXM match
 * and in NXT_PACKET_IN, as Open vSwitch sends them (ovs-ofctl ofp-print
 * reads both as "reg0=0x5,reg15=0xffffffff,in_port=3"). */
START_TEST(test_packet_in_carries_registers)
{
    static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    struct ofp_packet_in pin;
    memset(&pin, 0, sizeof pin);
    pin.buffer_id = UINT32_MAX;
    pin.reason = OFPR_ACTION;
    pin.table_id = 2;
    match_init_catchall(&pin.metadata);
    match_set_in_port(&pin.metadata, 3);
    pin.metadata.flow.regs[0] = 5;
    pin.metadata.flow.regs[15] = 0xffffffff;
    memset(pin.metadata.wc.masks.regs, 0xff, sizeof pin.metadata.wc.masks.regs);
    pin.packet = frame;
    pin.packet_len = sizeof frame;

    for (int nx = 0; nx < 2; nx++) {
        struct ofpbuf *m = (nx ? nx_packet_in_encode(&pin, UINT16_MAX)
                            : ofp_packet_in_encode(&pin, OFP13_VERSION,
                                                   UINT16_MAX));
        struct ofp_packet_in got;
        enum ofperr e = (nx ? nx_packet_in_decode(m->data, m->size, &got)
                         : ofp_packet_in_decode(m->data, m->size, &got));
        ck_assert_msg(!e, "%s", ofperr_get_name(e));
        ck_assert_uint_eq(got.metadata.flow.regs[0], 5);
        ck_assert_uint_eq(got.metadata.flow.regs[15], 0xffffffff);
        ck_assert_uint_eq(got.metadata.wc.masks.regs[1], 0);
        struct ds s = DS_EMPTY_INITIALIZER;
        ofp_print_msg(m->data, m->size, &s);
        ck_assert_msg(strstr(ds_cstr(&s), "reg0=0x5,reg15=0xffffffff,in_port=3"),
                      "%s", ds_cstr(&s));
        if (getenv("REGS_PRINT_HEX")) {
            char *hex = test_ofpbuf_to_hex(m);
            fprintf(stderr, "%s\n", hex);
            free(hex);
        }
        ds_destroy(&s);
        ofpbuf_delete(m);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ofp-regs");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_nxm_flow_mod_is_what_ovs_ofctl_sends);
    tcase_add_test(tc, test_oxm13_flow_mod_is_what_ovs_ofctl_sends);
    tcase_add_test(tc, test_oxm15_registers_are_packet_registers);
    tcase_add_test(tc, test_bad_of15_loads_and_moves);
    tcase_add_test(tc, test_register_matches_round_trip);
    tcase_add_test(tc, test_bad_register_tlvs);
    tcase_add_test(tc, test_bad_register_actions);
    tcase_add_test(tc, test_register_loads_and_moves_apply);
    tcase_add_test(tc, test_long_notes);
    tcase_add_test(tc, test_learn_is_what_ovs_ofctl_sends);
    tcase_add_test(tc, test_bad_learns);
    tcase_add_test(tc, test_packet_in_carries_registers);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
