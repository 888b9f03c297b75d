/* bridge-qos: one bridge port's QoS (egress queues) and ingress policing:
 * from the port's configuration to vswitchd/qos.c, remembering what was
 * installed so that only changes are made and only our own qdiscs are
 * removed; and the port's queues for ofproto's queue stats and config. */
#ifndef BRIDGE_QOS_H
#define BRIDGE_QOS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct port_qos;
struct vs_port_cfg;
struct ofproto_queue;

/* Makes device 'dev' (a port of a bridge, in its datapath) follow the QoS
 * and ingress policing of 'c'; '*pq' is created on first use.  Returns
 * NULL, or a malloc'd message saying what is not in force and why: bad
 * input changes nothing (what was installed stays). */
char *port_qos_apply(struct port_qos **pq, const char *dev,
                     const struct vs_port_cfg *c);
/* Whether the queues of 'pq' changed since the last call (the switch must
 * translate again: queue DSCPs). */
bool port_qos_take_changed(struct port_qos *pq);
/* Removes what 'pq' installed on 'dev' (the port left the bridge) and
 * frees it.  NULL is fine. */
void port_qos_destroy(struct port_qos *pq, const char *dev);
/* Frees 'pq' leaving the device as it is (vs-vswitchd exits: as with the
 * pinned datapath, forwarding goes on as configured). */
void port_qos_forget(struct port_qos *pq);
/* True if 'pq' has a root qdisc installed (NULL: false). */
bool port_qos_has_qdisc(const struct port_qos *pq);
/* The queues installed on 'dev' (see struct ofproto_queue_ops). */
size_t port_qos_queues(const struct port_qos *, const char *dev, bool stats,
                       struct ofproto_queue **, uint64_t *port_rate);

#endif /* bridge-qos.h */
