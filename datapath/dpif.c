/* Generic dpif calls: dispatch to the provider named by the datapath type. */
#include <config.h>
#include "datapath/dpif.h"
#include <errno.h>
#include <string.h>
#include "util.h"

/* Built-in providers, then those added by dpif_register_class(). */
#define MAX_CLASSES 8
static const struct dpif_class *dpif_classes[MAX_CLASSES] = {
    &dpif_xdp_class,
};
static size_t n_dpif_classes = 1;

int
dpif_register_class(const struct dpif_class *class)
{
    if (dpif_class_lookup(class->type)) {
        return EEXIST;
    }
    if (n_dpif_classes >= MAX_CLASSES) {
        return ENOSPC;
    }
    dpif_classes[n_dpif_classes++] = class;
    return 0;
}

const struct dpif_class *
dpif_class_lookup(const char *type)
{
    if (!type || !type[0]) {
        type = "xdp";
    }
    for (size_t i = 0; i < n_dpif_classes; i++) {
        if (!strcmp(dpif_classes[i]->type, type)) {
            return dpif_classes[i];
        }
    }
    return NULL;
}

int
dpif_open(const char *type, const char *name, bool create, struct dpif **dpifp)
{
    const struct dpif_class *class = dpif_class_lookup(type);

    *dpifp = NULL;
    if (!class) {
        return EAFNOSUPPORT;
    }
    int error = class->open(name, create, dpifp);
    if (!error) {
        (*dpifp)->class = class;
    }
    return error;
}

void
dpif_close(struct dpif *dpif)
{
    if (dpif) {
        dpif->class->close(dpif);
    }
}

int
dpif_delete(struct dpif *dpif)
{
    return dpif->class->destroy(dpif);
}

void dpif_run(struct dpif *dpif) { dpif->class->run(dpif); }
void dpif_wait(struct dpif *dpif) { dpif->class->wait(dpif); }
const char *dpif_name(const struct dpif *dpif) { return dpif->name; }
const char *dpif_type(const struct dpif *dpif) { return dpif->class->type; }

int
dpif_get_stats(struct dpif *dpif, struct dpif_dp_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    return dpif->class->get_stats(dpif, stats);
}

int
dpif_port_add(struct dpif *dpif, const char *devname, const char *type,
              const char *options, uint32_t *port_no)
{
    return dpif->class->port_add(dpif, devname, type, options, port_no);
}

int
dpif_port_del(struct dpif *dpif, uint32_t port_no)
{
    return dpif->class->port_del(dpif, port_no);
}

int
dpif_port_query_by_number(struct dpif *dpif, uint32_t port_no,
                          struct dpif_port *port)
{
    return dpif->class->port_query_by_number(dpif, port_no, port);
}

int
dpif_port_query_by_name(struct dpif *dpif, const char *name,
                        struct dpif_port *port)
{
    return dpif->class->port_query_by_name(dpif, name, port);
}

int
dpif_port_dump(struct dpif *dpif, struct dpif_port **ports, size_t *n)
{
    return dpif->class->port_dump(dpif, ports, n);
}

int
dpif_port_set_tc_only(struct dpif *dpif, uint32_t port_no, bool tc_only)
{
    return (dpif->class->port_set_tc_only
            ? dpif->class->port_set_tc_only(dpif, port_no, tc_only)
            : tc_only ? EOPNOTSUPP : 0);
}

int
dpif_port_set_qdisc_egress(struct dpif *dpif, uint32_t port_no, bool qdisc)
{
    return (dpif->class->port_set_qdisc_egress
            ? dpif->class->port_set_qdisc_egress(dpif, port_no, qdisc)
            : qdisc ? EOPNOTSUPP : 0);
}

int
dpif_flow_put(struct dpif *dpif, const struct dp_key *key,
              const struct dp_key *mask, const struct dp_action *actions,
              size_t n_actions, enum dpif_put_flags flags,
              struct dpif_flow_stats *old_stats)
{
    if (n_actions > DP_MAX_ACTIONS) {
        return E2BIG;
    }
    return dpif->class->flow_put(dpif, key, mask, actions, n_actions, flags,
                                 old_stats);
}

int
dpif_flow_get(struct dpif *dpif, const struct dp_key *key,
              const struct dp_key *mask, struct dpif_flow *flow)
{
    return dpif->class->flow_get(dpif, key, mask, flow);
}

int
dpif_flow_del(struct dpif *dpif, const struct dp_key *key,
              const struct dp_key *mask, struct dpif_flow_stats *stats)
{
    return dpif->class->flow_del(dpif, key, mask, stats);
}

int dpif_flow_flush(struct dpif *dpif) { return dpif->class->flow_flush(dpif); }

int
dpif_flow_dump(struct dpif *dpif, struct dpif_flow **flows, size_t *n)
{
    return dpif->class->flow_dump(dpif, flows, n);
}

int
dpif_flow_dump_chunk(struct dpif *dpif, uint64_t *cursor, size_t max,
                     struct dpif_flow **flows, size_t *n, bool *done)
{
    if (dpif->class->flow_dump_chunk) {
        return dpif->class->flow_dump_chunk(dpif, cursor, max, flows, n,
                                            done);
    }
    /* A provider without chunks: everything in one piece. */
    *done = true;
    return dpif->class->flow_dump(dpif, flows, n);
}

int
dpif_flow_stats_by_handle(struct dpif *dpif, uint32_t handle,
                          struct dpif_flow_stats *stats)
{
    return dpif->class->flow_stats_by_handle
           ? dpif->class->flow_stats_by_handle(dpif, handle, stats)
           : EOPNOTSUPP;
}

int
dpif_execute(struct dpif *dpif, const void *packet, size_t len,
             const struct dp_key *key, const struct dp_action *actions,
             size_t n_actions)
{
    return dpif->class->execute(dpif, packet, len, key, actions, n_actions);
}

void
dpif_operate(struct dpif *dpif, struct dpif_op *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct dpif_op *op = &ops[i];
        if (op->type == DPIF_OP_FLOW_PUT) {
            op->error = op->put.n_actions > DP_MAX_ACTIONS ? E2BIG : 0;
        } else if (op->type == DPIF_OP_EXECUTE) {
            op->error = 0;
        } else {
            op->error = EINVAL;
        }
    }
    if (dpif->class->operate) {
        dpif->class->operate(dpif, ops, n);
        return;
    }
    /* A provider without batches: one at a time, in order. */
    for (size_t i = 0; i < n; i++) {
        struct dpif_op *op = &ops[i];
        if (op->error) {
            continue;
        }
        if (op->type == DPIF_OP_FLOW_PUT) {
            const struct dpif_op_flow_put *p = &op->put;
            op->error = dpif->class->flow_put(dpif, p->key, p->mask,
                                              p->actions, p->n_actions,
                                              p->flags, NULL);
        } else {
            const struct dpif_op_execute *e = &op->execute;
            op->error = dpif->class->execute(dpif, e->packet, e->len, e->key,
                                             e->actions, e->n_actions);
        }
    }
}

int dpif_recv(struct dpif *dpif, struct dpif_upcall *u) { return dpif->class->recv(dpif, u); }

size_t
dpif_recv_batch(struct dpif *dpif, struct dpif_upcall *upcalls, size_t max)
{
    if (!max) {
        return 0;
    }
    if (dpif->class->recv_batch) {
        return dpif->class->recv_batch(dpif, upcalls, max);
    }
    /* The next recv would free this one's packet. */
    return !dpif->class->recv(dpif, &upcalls[0]);
}
void dpif_recv_wait(struct dpif *dpif) { dpif->class->recv_wait(dpif); }
int dpif_upcall_fd(struct dpif *dpif) { return dpif->class->upcall_fd(dpif); }

int
dpif_meter_set(struct dpif *dpif, uint32_t id, const struct dpif_meter *m)
{
    return dpif->class->meter_set ? dpif->class->meter_set(dpif, id, m)
                                  : EOPNOTSUPP;
}

int
dpif_meter_get(struct dpif *dpif, uint32_t id, struct dpif_meter *m,
               struct dpif_meter_stats *st)
{
    return dpif->class->meter_get ? dpif->class->meter_get(dpif, id, m, st)
                                  : EOPNOTSUPP;
}

int
dpif_meter_del(struct dpif *dpif, uint32_t id)
{
    return dpif->class->meter_del ? dpif->class->meter_del(dpif, id)
                                  : EOPNOTSUPP;
}

int
dpif_port_get_stats(struct dpif *dpif, uint32_t port_no,
                    struct dpif_port_stats *st)
{
    memset(st, 0, sizeof *st);
    return dpif->class->port_stats
           ? dpif->class->port_stats(dpif, port_no, st) : EOPNOTSUPP;
}
