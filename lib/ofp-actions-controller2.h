/* NXAST_CONTROLLER2 (Nicira action subtype 37): the controller action
 * with properties, what ovs-ofctl sends for controller(userdata=...) (and
 * for pause).  Private to lib/ofp-actions-nx.c.
 *
 * Layout: the 16-byte Nicira action header (type 0xffff, length, vendor
 * 0x2320, subtype 37, 6 zero bytes), then properties (lib/ofp-prop.h) in
 * this order: max_len (0, be16), controller_id (1, be16), reason (2, u8),
 * userdata (3, bytes), pause (4, no value); each only if not the default
 * (max_len 65535, id 0, reason action, no userdata).
 *
 * The userdata rides in the OFPACT_NOTE_MORE entries right after the
 * OFPACT_CONTROLLER (u.controller.userdata_len bytes), the way a long
 * note does, so that 'struct ofpact' does not grow and everything that
 * skips a note's extra entries skips these too.  vswitch has no
 * continuations: pause is refused (OFPBAC_BAD_ARGUMENT when decoded, an
 * error message when parsed). */
#ifndef VS_OFP_ACTIONS_CONTROLLER2_H
#define VS_OFP_ACTIONS_CONTROLLER2_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"

struct ds;
struct ofpact;
struct ofpacts;
struct ofpbuf;

#define NXAST_CONTROLLER2 37

enum nx_controller2_prop {
    NXAC2PT_MAX_LEN = 0,
    NXAC2PT_CONTROLLER_ID = 1,
    NXAC2PT_REASON = 2,
    NXAC2PT_USERDATA = 3,
    NXAC2PT_PAUSE = 4,
};

/* Longest userdata kept (a flow with it still fits in every reply). */
#define OFPACT_CONTROLLER_USERDATA_MAX 32768

/* Decodes the whole action 'p' of 'len' bytes into an OFPACT_CONTROLLER
 * (and its userdata entries).  A length not a multiple of 8 or a bad
 * property length is OFPBAC_BAD_LEN, an unknown property OFPBPC_BAD_TYPE,
 * pause (or userdata longer than we keep) OFPBAC_BAD_ARGUMENT. */
enum ofperr nx_controller2_decode(const uint8_t *p, size_t len,
                                  struct ofpacts *);
/* True if 'a' (OFPACT_CONTROLLER) needs NXAST_CONTROLLER2: it has
 * userdata.  Without, NXAST_CONTROLLER says everything. */
bool nx_controller2_needed(const struct ofpact *a);
void nx_controller2_encode(const struct ofpact *a, struct ofpbuf *);

/* Appends 'len' bytes of userdata to the OFPACT_CONTROLLER that is the
 * last action of 'o' (sets its userdata_len). */
void ofpact_controller_put_userdata(struct ofpacts *o, const uint8_t *data,
                                    size_t len);
/* Copies the userdata of 'a' (its entries follow it) to 'out'. */
void ofpact_controller_get_userdata(const struct ofpact *a, uint8_t *out);

/* ",userdata=01.02.03" if 'a' has userdata. */
void nx_controller2_format_userdata(const struct ofpact *a, struct ds *);
/* Parses "01.02.03" (dots optional) into 'out'; an error message (to
 * free) if it is not hex bytes or is too long. */
char *nx_controller2_parse_userdata(const char *, struct ofpbuf *out);

#endif /* ofp-actions-controller2.h */
