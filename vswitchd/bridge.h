/* bridge: reconciles the switch with its configuration.  The configuration
 * arrives as a neutral struct vs_cfg (from the OVSDB database, or from a
 * JSON file, see cfg-file.h); bridge_reconfigure() creates, changes and
 * removes bridges and ports so that only what differs is touched. */
#ifndef BRIDGE_H
#define BRIDGE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct dp_switch;

/* A Queue row, as the strings of its other_config (NULL: key absent);
 * vswitchd/qos.c validates them. */
struct vs_queue_cfg {
    long long id;               /* Its key in QoS queues. */
    char *min_rate, *max_rate, *burst, *priority;
    int dscp;                   /* Queue dscp column, -1 if empty. */
};

/* The QoS row a Port refers to. */
struct vs_qos_cfg {
    char *type;                 /* "linux-htb", "linux-hfsc", ... */
    char *max_rate;             /* other_config:max-rate, NULL if absent. */
    struct vs_queue_cfg *queues;
    size_t n_queues;
};

struct vs_port_cfg {
    char *name;                 /* Port and interface name. */
    char *type;                 /* "", "system", "internal", "tap". */
    char *options;              /* "k=v,k=v" datapath options, or NULL. */
    int tag;                    /* -1 if none. */
    int *trunks;
    size_t n_trunks;
    char *vlan_mode;            /* NULL for the default. */
    int ofport_request;         /* Interface ofport_request, 0 if none. */
    struct vs_qos_cfg *qos;     /* Port qos, NULL if none. */
    long long ingress_policing_rate;    /* kbit/s, 0: no policing. */
    long long ingress_policing_burst;   /* kbit, 0: default. */
};

/* One Controller row (see connmgr.h for the defaults of zero values). */
struct vs_controller_cfg {
    char *target;               /* "tcp:IP:PORT", "unix:PATH", "ptcp:...". */
    int max_backoff_ms;         /* 0: default. */
    int probe_interval_ms;      /* 0: default; -1: no probes. */
    int rate_limit;             /* Packet-ins per second, 0: unlimited. */
    int burst_limit;            /* 0: default. */
};

/* One Flow_Table row, with the table it is configured for. */
struct vs_flow_table_cfg {
    int table_id;               /* 0..254. */
    char *name;                 /* NULL: default name. */
    unsigned int flow_limit;    /* 0: unlimited. */
    bool evict;                 /* overflow_policy=evict, else refuse. */
};

/* The OpenFlow side of a bridge. */
struct vs_openflow_cfg {
    struct vs_controller_cfg *controllers;
    size_t n_controllers;
    bool fail_secure;           /* fail_mode=secure, else standalone. */
    uint32_t versions;          /* OFP_VERSION_BIT()s, 0: all supported. */
    uint64_t datapath_id;       /* 0: derived from the bridge's MAC. */
    char *dp_desc;              /* NULL: default. */
    struct vs_flow_table_cfg *tables;   /* Sorted by table_id. */
    size_t n_tables;
};

struct vs_bridge_cfg {
    char *name;
    char *datapath_type;        /* "" or "xdp". */
    unsigned int mac_aging;     /* 0: default. */
    size_t mac_table_size;      /* 0: default. */
    long long flow_idle_ms;     /* 0: default. */
    size_t flow_limit;          /* 0: default. */
    struct vs_port_cfg *ports;
    size_t n_ports;
    struct vs_openflow_cfg of;
};

struct vs_cfg {
    struct vs_bridge_cfg *bridges;
    size_t n_bridges;
};

void vs_cfg_destroy(struct vs_cfg *);
void vs_qos_cfg_destroy(struct vs_qos_cfg *);

/* Result of applying one port, for the status written back. */
struct vs_port_status {
    char *error;                /* NULL if fine; owned by the bridge. */
    unsigned int ofport;        /* Datapath port number, 0 if none. */
    char *qos_error;            /* QoS or policing not applied, and why;
                                 * NULL if fine.  Owned by the bridge. */
};

void bridge_reconfigure(const struct vs_cfg *);
/* Status of port 'port' on bridge 'br'; NULL if unknown. */
const struct vs_port_status *bridge_port_status(const char *br,
                                                const char *port);
/* Counters the datapath keeps for port 'port' of 'br' (tunnel ports, which
 * have no netdev): false if there are none. */
struct dpif_port_stats;
bool bridge_port_dp_stats(const char *br, const char *port,
                          struct dpif_port_stats *);
/* OpenFlow status for the database: false if 'br' has no switch. */
bool bridge_get_datapath_id(const char *br, uint64_t *dpid);
/* Controller status of 'br' (nothing if unknown); free with
 * connmgr_free_controller_status(). */
struct ofproto_controller_status;
void bridge_get_controller_status(const char *br,
                                  struct ofproto_controller_status **,
                                  size_t *n);
/* Changes when any controller connects, disconnects, changes role or
 * state, or gets a new error: the database wants to hear at once. */
uint32_t bridge_controller_status_hash(void);
/* OpenFlow flows of 'br', hidden ones too; false if no such bridge. */
bool bridge_dump_openflow(const char *br, struct ds *);
void bridge_run(void);
void bridge_wait(void);
/* Closes everything; with 'delete_dps' also removes the datapaths (else
 * they keep forwarding, pinned, for the next vs-vswitchd to adopt). */
void bridge_exit(bool delete_dps);
struct dp_switch *bridge_find(const char *name);
/* Names of all bridges, one a line, for unixctl. */
void bridge_list(struct ds *);
/* Bridges, ports, MAC entries and megaflows, for memory/show. */
void bridge_memory_usage(struct ds *);

#endif /* bridge.h */
