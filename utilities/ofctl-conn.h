/* vs-ofctl's OpenFlow connection to one switch: opening a target, the
 * hello exchange, sending (pipelined) and receiving whole messages with a
 * deadline, request/reply transactions, multipart dumps and barriers.
 *
 * This is a command-line tool's helper: on a broken connection or a
 * timeout it prints a message and exits, so callers stay short. */
#ifndef VS_OFCTL_CONN_H
#define VS_OFCTL_CONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp-buf.h"
#include "ofp-framer.h"

struct stream;

struct ofctl_conn {
    struct stream *stream;      /* Owned. */
    char *name;                 /* Stream name, for messages. */
    uint8_t version;            /* Negotiated OpenFlow version. */
    uint32_t next_xid;
    struct ofp_framer framer;
    struct ofpbuf out;          /* Bytes queued but not yet sent. */
    int timeout_ms;             /* Per wait; < 0: wait forever. */
    int n_errors;               /* OFPT_ERRORs reported so far. */
    /* OpenFlow 1.0 with Nicira extensions (ofctl-flows.c): set once the
     * switch took NXT_SET_FLOW_FORMAT(NXM) / NXT_FLOW_MOD_TABLE_ID. */
    bool nxm, nx_table_id;
};

/* Nonzero: every message sent and received is printed on stderr (-v). */
extern int ofctl_conn_verbosity;

/* Turns what the user typed into a stream name: "br0" -> the bridge's
 * "unix:$VS_RUNDIR/br0.mgmt" ('suffix' is "mgmt" or "snoop"), "tcp:IP"
 * -> "tcp:IP:6653", an absolute path -> "unix:PATH".  Returns a malloc'd
 * string. */
char *ofctl_target_to_stream(const char *target, const char *suffix);

/* Connects to 'target' and negotiates a version from 'allowed' (a bitmap
 * of OFP_VERSION_BIT()s).  Exits with a message on failure. */
struct ofctl_conn *ofctl_open(const char *target, const char *suffix,
                              uint32_t allowed, int timeout_ms);
void ofctl_close(struct ofctl_conn *);
/* The connection opened last and not yet closed, or NULL: where names of
 * ports typed in flows are looked up. */
extern struct ofctl_conn *ofctl_current;

uint32_t ofctl_xid(struct ofctl_conn *);

/* Queues 'msg' (taking ownership) and sends what the socket takes now;
 * replies that arrive meanwhile are kept for ofctl_recv(). */
void ofctl_send(struct ofctl_conn *, struct ofpbuf *msg);
/* The same for a buffer of several whole messages, not logged. */
void ofctl_send_raw(struct ofctl_conn *, struct ofpbuf *msgs);
/* With -v, prints 'msg' on stderr. */
void ofctl_log_msg(const struct ofctl_conn *, const char *what,
                   const struct ofpbuf *msg);
/* Blocks until everything queued is sent. */
void ofctl_flush(struct ofctl_conn *);

/* Returns the next message (caller frees), answering echo requests on the
 * way.  With 'may_time_out', returns NULL when the timeout passes;
 * otherwise a timeout is fatal.  End of stream is fatal unless
 * 'eof_ok' (then NULL too). */
struct ofpbuf *ofctl_recv(struct ofctl_conn *, bool may_time_out, bool eof_ok);

/* Prints an OFPT_ERROR 'msg' to stderr in readable form and counts it. */
void ofctl_report_error(struct ofctl_conn *, const struct ofpbuf *msg);

/* Sends 'request' and returns the reply with its xid.  An OFPT_ERROR
 * reply is printed and ends the program with status 1. */
struct ofpbuf *ofctl_transact(struct ofctl_conn *, struct ofpbuf *request);

/* Sends 'request' followed by a barrier and waits for the barrier reply.
 * Errors for the request are printed; returns false if there were any. */
bool ofctl_transact_noreply(struct ofctl_conn *, struct ofpbuf *request);

/* Sends a barrier and waits for its reply, printing (and counting) every
 * error that arrives before it.  For pipelined requests. */
void ofctl_barrier(struct ofctl_conn *);

/* Sends the multipart 'request' and collects every reply message up to the
 * one without OFPSF_REPLY_MORE.  Returns the count; '*replies' is a
 * malloc'd array of owned buffers. */
size_t ofctl_dump(struct ofctl_conn *, struct ofpbuf *request,
                  struct ofpbuf ***replies);
void ofctl_free_replies(struct ofpbuf **, size_t n);
/* The same, handing each reply to 'cb' (which takes ownership) as it
 * arrives, so that output can start before the last reply is in. */
void ofctl_dump_each(struct ofctl_conn *, struct ofpbuf *request,
                     void (*cb)(struct ofpbuf *reply, void *aux), void *aux);

#endif /* ofctl-conn.h */
