/* OpenFlow error codes, independent of the protocol version.
 *
 * Decoders return 'enum ofperr': 0 for success, else one of the OFPERR_*
 * values below, which the connection layer turns into an OFPT_ERROR message
 * with ofperr_encode().  The values start at OFPERR_OFS so that they never
 * collide with positive errno values in code that returns either. */
#ifndef VS_OFP_ERRORS_H
#define VS_OFP_ERRORS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ofpbuf;

#define OFPERR_OFS (1 << 20)

/* NAME, OF1.1+ type, code, OF1.0 type, code (-1: none in OF1.0).
 * OF1.0 match errors (type 1, codes 256-261) are the Nicira NXM codes
 * (NXBRC_NXM_*) that OpenFlow 1.0 peers of Open vSwitch know.
 * Types and codes from the OpenFlow 1.0, 1.3, 1.4 and 1.5 specifications. */
#define OFPERR_LIST                                                 \
    E(OFPHFC_INCOMPATIBLE, 0, 0, 0, 0)                              \
    E(OFPHFC_EPERM, 0, 1, 0, 1)                                     \
    E(OFPBRC_BAD_VERSION, 1, 0, 1, 0)                               \
    E(OFPBRC_BAD_TYPE, 1, 1, 1, 1)                                  \
    E(OFPBRC_BAD_MULTIPART, 1, 2, 1, 2)                             \
    E(OFPBRC_BAD_EXPERIMENTER, 1, 3, 1, 3)                          \
    E(OFPBRC_BAD_EXP_TYPE, 1, 4, 1, 4)                              \
    E(OFPBRC_EPERM, 1, 5, 1, 5)                                     \
    E(OFPBRC_BAD_LEN, 1, 6, 1, 6)                                   \
    E(OFPBRC_BUFFER_EMPTY, 1, 7, 1, 7)                              \
    E(OFPBRC_BUFFER_UNKNOWN, 1, 8, 1, 8)                            \
    E(OFPBRC_BAD_TABLE_ID, 1, 9, 1, 5)                              \
    E(OFPBRC_IS_SLAVE, 1, 10, 1, 5)                                 \
    E(OFPBRC_BAD_PORT, 1, 11, 2, 4)                                 \
    E(OFPBRC_BAD_PACKET, 1, 12, 1, 5)                               \
    E(OFPBRC_MULTIPART_BUFFER_OVERFLOW, 1, 13, 1, 6)                \
    E(OFPBAC_BAD_TYPE, 2, 0, 2, 0)                                  \
    E(OFPBAC_BAD_LEN, 2, 1, 2, 1)                                   \
    E(OFPBAC_BAD_EXPERIMENTER, 2, 2, 2, 2)                          \
    E(OFPBAC_BAD_EXP_TYPE, 2, 3, 2, 3)                              \
    E(OFPBAC_BAD_OUT_PORT, 2, 4, 2, 4)                              \
    E(OFPBAC_BAD_ARGUMENT, 2, 5, 2, 5)                              \
    E(OFPBAC_EPERM, 2, 6, 2, 6)                                     \
    E(OFPBAC_TOO_MANY, 2, 7, 2, 7)                                  \
    E(OFPBAC_BAD_QUEUE, 2, 8, 2, 8)                                 \
    E(OFPBAC_BAD_OUT_GROUP, 2, 9, 2, 5)                             \
    E(OFPBAC_MATCH_INCONSISTENT, 2, 10, 2, 5)                       \
    E(OFPBAC_UNSUPPORTED_ORDER, 2, 11, 2, 5)                        \
    E(OFPBAC_BAD_TAG, 2, 12, 2, 5)                                  \
    E(OFPBAC_BAD_SET_TYPE, 2, 13, 2, 0)                             \
    E(OFPBAC_BAD_SET_LEN, 2, 14, 2, 1)                              \
    E(OFPBAC_BAD_SET_ARGUMENT, 2, 15, 2, 5)                         \
    E(OFPBIC_UNKNOWN_INST, 3, 0, -1, -1)                            \
    E(OFPBIC_UNSUP_INST, 3, 1, -1, -1)                              \
    E(OFPBIC_BAD_TABLE_ID, 3, 2, -1, -1)                            \
    E(OFPBIC_UNSUP_METADATA, 3, 3, -1, -1)                          \
    E(OFPBIC_UNSUP_METADATA_MASK, 3, 4, -1, -1)                     \
    E(OFPBIC_BAD_EXPERIMENTER, 3, 5, -1, -1)                        \
    E(OFPBIC_BAD_EXP_TYPE, 3, 6, -1, -1)                            \
    E(OFPBIC_BAD_LEN, 3, 7, -1, -1)                                 \
    E(OFPBIC_EPERM, 3, 8, -1, -1)                                   \
    E(OFPBIC_DUP_INST, 3, 9, -1, -1)                                \
    E(OFPBMC_BAD_TYPE, 4, 0, 1, 256)                                \
    E(OFPBMC_BAD_LEN, 4, 1, 1, 6)                                   \
    E(OFPBMC_BAD_TAG, 4, 2, -1, -1)                                 \
    E(OFPBMC_BAD_DL_ADDR_MASK, 4, 3, -1, -1)                        \
    E(OFPBMC_BAD_NW_ADDR_MASK, 4, 4, -1, -1)                        \
    E(OFPBMC_BAD_WILDCARDS, 4, 5, -1, -1)                           \
    E(OFPBMC_BAD_FIELD, 4, 6, 1, 257)                               \
    E(OFPBMC_BAD_VALUE, 4, 7, 1, 258)                               \
    E(OFPBMC_BAD_MASK, 4, 8, 1, 259)                                \
    E(OFPBMC_BAD_PREREQ, 4, 9, 1, 260)                              \
    E(OFPBMC_DUP_FIELD, 4, 10, 1, 261)                              \
    E(OFPBMC_EPERM, 4, 11, -1, -1)                                  \
    E(OFPFMFC_UNKNOWN, 5, 0, 3, 5)                                  \
    E(OFPFMFC_TABLE_FULL, 5, 1, 3, 0)                               \
    E(OFPFMFC_BAD_TABLE_ID, 5, 2, 1, 5)                             \
    E(OFPFMFC_OVERLAP, 5, 3, 3, 1)                                  \
    E(OFPFMFC_EPERM, 5, 4, 3, 2)                                    \
    E(OFPFMFC_BAD_TIMEOUT, 5, 5, 3, 3)                              \
    E(OFPFMFC_BAD_COMMAND, 5, 6, 3, 4)                              \
    E(OFPFMFC_BAD_FLAGS, 5, 7, 3, 5)                                \
    E(OFPFMFC_CANT_SYNC, 5, 8, -1, -1)                              \
    E(OFPFMFC_BAD_PRIORITY, 5, 9, -1, -1)                           \
    E(OFPFMFC_IS_SYNC, 5, 10, -1, -1)                               \
    E(OFPGMFC_GROUP_EXISTS, 6, 0, -1, -1)                           \
    E(OFPGMFC_INVALID_GROUP, 6, 1, -1, -1)                          \
    E(OFPGMFC_WEIGHT_UNSUPPORTED, 6, 2, -1, -1)                     \
    E(OFPGMFC_OUT_OF_GROUPS, 6, 3, -1, -1)                          \
    E(OFPGMFC_OUT_OF_BUCKETS, 6, 4, -1, -1)                         \
    E(OFPGMFC_CHAINING_UNSUPPORTED, 6, 5, -1, -1)                   \
    E(OFPGMFC_WATCH_UNSUPPORTED, 6, 6, -1, -1)                      \
    E(OFPGMFC_LOOP, 6, 7, -1, -1)                                   \
    E(OFPGMFC_UNKNOWN_GROUP, 6, 8, -1, -1)                          \
    E(OFPGMFC_CHAINED_GROUP, 6, 9, -1, -1)                          \
    E(OFPGMFC_BAD_TYPE, 6, 10, -1, -1)                              \
    E(OFPGMFC_BAD_COMMAND, 6, 11, -1, -1)                           \
    E(OFPGMFC_BAD_BUCKET, 6, 12, -1, -1)                            \
    E(OFPGMFC_BAD_WATCH, 6, 13, -1, -1)                             \
    E(OFPGMFC_EPERM, 6, 14, -1, -1)                                 \
    E(OFPPMFC_BAD_PORT, 7, 0, 4, 0)                                 \
    E(OFPPMFC_BAD_HW_ADDR, 7, 1, 4, 1)                              \
    E(OFPPMFC_BAD_CONFIG, 7, 2, 4, 0)                               \
    E(OFPPMFC_BAD_ADVERTISE, 7, 3, 4, 0)                            \
    E(OFPPMFC_EPERM, 7, 4, 4, 0)                                    \
    E(OFPTMFC_BAD_TABLE, 8, 0, -1, -1)                              \
    E(OFPTMFC_BAD_CONFIG, 8, 1, -1, -1)                             \
    E(OFPTMFC_EPERM, 8, 2, -1, -1)                                  \
    E(OFPQOFC_BAD_PORT, 9, 0, 5, 0)                                 \
    E(OFPQOFC_BAD_QUEUE, 9, 1, 5, 1)                                \
    E(OFPQOFC_EPERM, 9, 2, 5, 2)                                    \
    E(OFPSCFC_BAD_FLAGS, 10, 0, -1, -1)                             \
    E(OFPSCFC_BAD_LEN, 10, 1, -1, -1)                               \
    E(OFPSCFC_EPERM, 10, 2, -1, -1)                                 \
    E(OFPRRFC_STALE, 11, 0, -1, -1)                                 \
    E(OFPRRFC_UNSUP, 11, 1, -1, -1)                                 \
    E(OFPRRFC_BAD_ROLE, 11, 2, -1, -1)                              \
    E(OFPMMFC_UNKNOWN, 12, 0, -1, -1)                               \
    E(OFPMMFC_METER_EXISTS, 12, 1, -1, -1)                          \
    E(OFPMMFC_INVALID_METER, 12, 2, -1, -1)                         \
    E(OFPMMFC_UNKNOWN_METER, 12, 3, -1, -1)                         \
    E(OFPMMFC_BAD_COMMAND, 12, 4, -1, -1)                           \
    E(OFPMMFC_BAD_FLAGS, 12, 5, -1, -1)                             \
    E(OFPMMFC_BAD_RATE, 12, 6, -1, -1)                              \
    E(OFPMMFC_BAD_BURST, 12, 7, -1, -1)                             \
    E(OFPMMFC_BAD_BAND, 12, 8, -1, -1)                              \
    E(OFPMMFC_BAD_BAND_VALUE, 12, 9, -1, -1)                        \
    E(OFPMMFC_OUT_OF_METERS, 12, 10, -1, -1)                        \
    E(OFPMMFC_OUT_OF_BANDS, 12, 11, -1, -1)                         \
    E(OFPTFFC_BAD_TABLE, 13, 0, -1, -1)                             \
    E(OFPTFFC_BAD_METADATA, 13, 1, -1, -1)                          \
    E(OFPTFFC_BAD_TYPE, 13, 2, -1, -1)                              \
    E(OFPTFFC_BAD_LEN, 13, 3, -1, -1)                               \
    E(OFPTFFC_BAD_ARGUMENT, 13, 4, -1, -1)                          \
    E(OFPTFFC_EPERM, 13, 5, -1, -1)                                 \
    E(OFPBPC_BAD_TYPE, 14, 0, -1, -1)                               \
    E(OFPBPC_BAD_LEN, 14, 1, -1, -1)                                \
    E(OFPBPC_BAD_VALUE, 14, 2, -1, -1)                              \
    E(OFPBPC_TOO_MANY, 14, 3, -1, -1)                               \
    E(OFPBPC_DUP_TYPE, 14, 4, -1, -1)                               \
    E(OFPBPC_BAD_EXPERIMENTER, 14, 5, -1, -1)                       \
    E(OFPBPC_BAD_EXP_TYPE, 14, 6, -1, -1)                           \
    E(OFPBPC_BAD_EXP_VALUE, 14, 7, -1, -1)                          \
    E(OFPBPC_EPERM, 14, 8, -1, -1)                                  \
    E(OFPACFC_INVALID, 15, 0, -1, -1)                               \
    E(OFPACFC_UNSUPPORTED, 15, 1, -1, -1)                           \
    E(OFPACFC_EPERM, 15, 2, -1, -1)                                 \
    E(OFPBFC_UNKNOWN, 17, 0, -1, -1)                                \
    E(OFPBFC_EPERM, 17, 1, -1, -1)                                  \
    E(OFPBFC_BAD_ID, 17, 2, -1, -1)                                 \
    E(OFPBFC_BUNDLE_EXIST, 17, 3, -1, -1)                           \
    E(OFPBFC_BUNDLE_CLOSED, 17, 4, -1, -1)                          \
    E(OFPBFC_OUT_OF_BUNDLES, 17, 5, -1, -1)                         \
    E(OFPBFC_BAD_TYPE, 17, 6, -1, -1)                               \
    E(OFPBFC_BAD_FLAGS, 17, 7, -1, -1)                              \
    E(OFPBFC_MSG_BAD_LEN, 17, 8, -1, -1)                            \
    E(OFPBFC_MSG_BAD_XID, 17, 9, -1, -1)                            \
    E(OFPBFC_MSG_UNSUP, 17, 10, -1, -1)                             \
    E(OFPBFC_MSG_CONFLICT, 17, 11, -1, -1)                          \
    E(OFPBFC_MSG_TOO_MANY, 17, 12, -1, -1)                          \
    E(OFPBFC_MSG_FAILED, 17, 13, -1, -1)                            \
    E(OFPBFC_TIMEOUT, 17, 14, -1, -1)                               \
    E(OFPBFC_BUNDLE_IN_PROGRESS, 17, 15, -1, -1)                    \
    E(OFPMOFC_UNKNOWN, 16, 0, -1, -1)                               \
    E(OFPMOFC_MONITOR_EXISTS, 16, 1, -1, -1)                        \
    E(OFPMOFC_INVALID_MONITOR, 16, 2, -1, -1)                       \
    E(OFPMOFC_UNKNOWN_MONITOR, 16, 3, -1, -1)                       \
    E(OFPMOFC_BAD_COMMAND, 16, 4, -1, -1)                           \
    E(OFPMOFC_BAD_FLAGS, 16, 5, -1, -1)                             \
    E(OFPMOFC_BAD_TABLE_ID, 16, 6, -1, -1)                          \
    E(OFPMOFC_BAD_OUT, 16, 7, -1, -1)

enum ofperr {
    OFPERR_NONE = 0,
    OFPERR_FIRST_ = OFPERR_OFS - 1,
#define E(NAME, T, C, T10, C10) OFPERR_##NAME,
    OFPERR_LIST
#undef E
    OFPERR_LAST_
};

bool ofperr_is_valid(int);
const char *ofperr_get_name(enum ofperr);       /* "OFPBMC_BAD_PREREQ". */
/* Type and code for 'version'; returns false if 'version' has none (the
 * caller then uses the fallback ofperr_encode() picks). */
bool ofperr_get_type_code(enum ofperr, uint8_t version,
                          uint16_t *type, uint16_t *code);
/* Maps a received (type, code) back; 0 if unknown. */
enum ofperr ofperr_decode_type_code(uint8_t version, uint16_t type,
                                    uint16_t code);
/* Builds an OFPT_ERROR for 'version' echoing up to 64 bytes of 'request'
 * (the whole request for hello failures, as text for HELLO_FAILED). */
struct ofpbuf *ofperr_encode(enum ofperr, uint8_t version, uint32_t xid,
                             const void *request, size_t request_len);
/* Looks up an error by its name, e.g. from a test; 0 if none. */
enum ofperr ofperr_from_name(const char *);

#endif /* ofp-errors.h */
