/* Nicira extension actions that plain `ovs-ofctl` emits for what users
 * type (private to lib/ofp-actions.c and lib/ofp-parse.c): resubmit,
 * load, note, exit, controller(...).  They are experimenter actions
 * (vendor 0x2320) in every OpenFlow version, so one encoding serves all.
 *
 *   resubmit:PORT            NXAST_RESUBMIT (in the current table)
 *   resubmit([PORT],[TABLE]) NXAST_RESUBMIT_TABLE
 *   load:V->FIELD[ofs..end]  NXAST_REG_LOAD (what ovs-ofctl sends for
 *                            set_field of a field OF1.0 cannot set)
 *   move:SRC[bits]->DST[bits]  NXAST_REG_MOVE
 *   output:FIELD[bits]       NXAST_OUTPUT_REG (NXAST_OUTPUT_REG2 is
 *                            decoded too); output(port=FIELD[bits],
 *                            max_len=N) with a max_len
 *   note:XX.XX...            NXAST_NOTE
 *   exit                     NXAST_EXIT
 *   fin_timeout(idle_timeout=N,hard_timeout=M)  NXAST_FIN_TIMEOUT
 *   controller(reason=R,max_len=N,id=I)   NXAST_CONTROLLER
 *   controller(...,userdata=XX.XX)   NXAST_CONTROLLER2
 *                            (lib/ofp-actions-controller2.h)
 *   dec_ttl(ID,...)          NXAST_DEC_TTL_CNT_IDS (plain dec_ttl stays in
 *                            ofp-actions.c) */
#ifndef VS_OFP_ACTIONS_NX_H
#define VS_OFP_ACTIONS_NX_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-errors.h"
#include "ofp-fields.h"

struct ds;
struct match;
struct ofpact;
struct ofpacts;
struct ofpbuf;

enum {
    NXAST_RESUBMIT = 1, NXAST_REG_MOVE = 6, NXAST_REG_LOAD = 7, NXAST_NOTE = 8,
    NXAST_RESUBMIT_TABLE = 14, NXAST_OUTPUT_REG = 15, NXAST_EXIT = 17,
    NXAST_CONTROLLER = 20, NXAST_OUTPUT_REG2 = 32,
    NXAST_DEC_TTL_CNT_IDS = 21,
    NXAST_WRITE_METADATA = 22,
    NXAST_FIN_TIMEOUT = 19,
};

/* Decodes the Nicira action 'p' ('len' bytes, whole action) of 'subtype'
 * if it is one of this module's; '*handled' tells. */
enum ofperr nx_action_decode(uint16_t subtype, const uint8_t *p, size_t len,
                             struct ofpacts *, bool *handled);
/* Appends 'a' if it is one of this module's; false if not. */
bool nx_action_encode(const struct ofpact *, struct ofpbuf *);

/* Appends a move of 'n_bits' from field 'src' at bit 'src_ofs' to 'dst' at
 * 'dst_ofs' (NXAST_REG_MOVE, OF1.5 copy_field), or returns the error for
 * a 'dst' that cannot be written or bits outside either field. */
enum ofperr nx_put_reg_move(enum ofp_field_id src, unsigned int src_ofs,
                            enum ofp_field_id dst, unsigned int dst_ofs,
                            unsigned int n_bits, struct ofpacts *);
/* Formats 'a' as ovs-ofctl does if it is one of this module's. */
bool nx_action_format(const struct ofpact *, struct ds *);
/* "NXM_OF_IP_SRC[]" (the whole field), "[ofs..end]" or "[bit]": the
 * NXM or OXM name where the field has one. */
void nx_format_subfield(enum ofp_field_id, unsigned int ofs,
                        unsigned int n_bits, struct ds *);
/* Parses "FIELD[]", "FIELD[ofs..end]" or "FIELD[bit]" ('text' is
 * modified) of a field loads and moves may name; 'writable' asks for a
 * field set_field could change.  Error string or NULL. */
char *nx_parse_subfield(char *text, bool writable, enum ofp_field_id *,
                        unsigned int *ofs, unsigned int *n_bits);
/* Parses action 'key' with argument 'arg' (may be NULL) if it is one of
 * this module's; returns an error string (caller frees) or NULL and sets
 * '*handled'. */
char *nx_action_parse(const char *key, char *arg, struct ofpacts *,
                      bool *handled);

#endif /* ofp-actions-nx.h */
