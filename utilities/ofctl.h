/* vs-ofctl: what its command modules share (options, the command table
 * entry type, helpers).  vs-ofctl.c has main(), options and the shared
 * helpers; the command tables are in ofctl-switch.c, ofctl-watch.c,
 * ofctl-flows.c and ofctl-groups.c; ofctl-conn.c is the connection. */
#ifndef VS_OFCTL_H
#define VS_OFCTL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct ofctl_conn;
struct ofpbuf;

/* One --sort or --rsort option. */
struct ofctl_sort {
    const char *field;          /* NULL or "priority": by priority. */
    bool descending;
};

struct ofctl_options {
    uint32_t versions;          /* -O: bitmap of allowed versions. */
    int timeout_ms;             /* --timeout, -1 for none. */
    bool strict;                /* --strict. */
    bool no_stats;              /* --no-stats. */
    bool names;                 /* --names (else numbers). */
    bool bundle;                /* --bundle. */
    int verbosity;              /* -v: print messages sent and received. */
    int packet_in_format;       /* -P: enum nx_packet_in_format, -1: the
                                 * switch's default (standard). */
    struct ofctl_sort sorts[8];
    size_t n_sorts;
};
extern struct ofctl_options ofctl_opts;

struct ofctl_command {
    const char *name;
    int min_args, max_args;     /* Not counting the command name. */
    void (*handler)(int argc, char *argv[]);    /* argv[0] is the name. */
};

/* Opens the switch named on the command line with the -O versions. */
struct ofctl_conn *ofctl_open_switch(const char *target);
/* The same, exiting with a message if what was negotiated is older than
 * 'min_version' ('what' names the command's subject: "groups"). */
struct ofctl_conn *ofctl_open_for(const char *target, uint8_t min_version,
                                  const char *what);
/* Appends "OFPST_GROUP reply (OF1.3) (xid=0x2):" for multipart 'reply'
 * to 's' and points 'body' at its body. */
void ofctl_put_reply_header(struct ds *s, const struct ofpbuf *reply,
                            struct ofpbuf *body);

/* The commands, in NULL-terminated tables: switch state (ofctl-switch.c),
 * packet-out/monitor/snoop/probe/ping (ofctl-watch.c), flows
 * (ofctl-flows.c), groups and meters (ofctl-groups.c). */
extern const struct ofctl_command ofctl_switch_commands[];
extern const struct ofctl_command ofctl_watch_commands[];
extern const struct ofctl_command ofctl_flow_commands[];
extern const struct ofctl_command ofctl_group_commands[];

/* The switch's port descriptions (features reply in OF1.0, port desc
 * multipart after), sorted by number; malloc'd. */
struct ofp_port;
struct ofp_port *ofctl_fetch_ports(struct ofctl_conn *, size_t *n);
/* A port given by number, reserved name or interface name; exits with a
 * message if the switch has no such port name. */
uint32_t ofctl_port_arg(struct ofctl_conn *, const char *);

/* Port names for --names: fills a number -> name map from the switch's
 * port descriptions; ofctl_port_name() returns NULL for unknown ports. */
void ofctl_load_port_names(struct ofctl_conn *);
const char *ofctl_port_name(uint32_t port);
/* Rewrites "in_port=N", "output:N", "watch_port:N" in 'text' with port
 * names (for output) or names back to numbers (for input).  Returns a
 * malloc'd string. */
char *ofctl_ports_to_names(const char *text);
char *ofctl_names_to_ports(const char *text);

/* Reads a file ("-" is stdin) of one item per line, skipping blank lines
 * and '#' comments; calls 'cb' with each line and its number. */
void ofctl_read_lines(const char *file_name,
                      void (*cb)(char *line, int line_no, void *aux), void *aux);

/* "2.500s": a duration as ovs-ofctl prints one (see ofp-print). */
struct ds;
void ofctl_put_duration(struct ds *, uint32_t sec, uint32_t nsec);

/* Prints the multipart replies with ofp-print's header line each. */
void ofctl_print_replies(struct ofpbuf **, size_t n);

#endif /* ofctl.h */
