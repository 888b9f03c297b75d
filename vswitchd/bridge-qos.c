/* bridge-qos: a port's QoS and policing (see bridge-qos.h). */
#include <config.h>
#include "vswitchd/bridge-qos.h"
#include <stdlib.h>
#include <string.h>
#include "ofproto/ofproto.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"
#include "vswitchd/bridge.h"
#include "vswitchd/qos.h"

VLOG_DEFINE_THIS_MODULE(bridge_qos);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct port_qos {
    struct qos_spec spec;       /* Installed; type QOS_NONE if nothing. */
    long long created;          /* time_msec() the qdisc was installed. */
    uint32_t police_rate;       /* kbit/s installed, 0: none. */
    uint32_t police_burst;      /* kbit. */
    bool changed;               /* 'spec' changed, port_qos_take_changed(). */
};

/* The database's strings as qos.c takes them. */
static void
qos_text_from_cfg(const struct vs_qos_cfg *c, struct qos_text *t,
                  struct qos_queue_text **qtp)
{
    struct qos_queue_text *qt = xcalloc(c->n_queues ? c->n_queues : 1,
                                        sizeof *qt);
    for (size_t i = 0; i < c->n_queues; i++) {
        qt[i] = (struct qos_queue_text) {
            .id = c->queues[i].id,
            .min_rate = c->queues[i].min_rate,
            .max_rate = c->queues[i].max_rate,
            .burst = c->queues[i].burst,
            .priority = c->queues[i].priority,
            .dscp = c->queues[i].dscp,
        };
    }
    *t = (struct qos_text) {
        .type = c->type, .max_rate = c->max_rate,
        .queues = qt, .n_queues = c->n_queues,
    };
    *qtp = qt;
}

static char *
apply_queues(struct port_qos *pq, const char *dev, const struct vs_qos_cfg *c)
{
    struct qos_spec spec;
    char *err = NULL;

    if (c) {
        struct qos_text t;
        struct qos_queue_text *qt;
        qos_text_from_cfg(c, &t, &qt);
        int error = qos_parse(&t, dev, &spec, &err);
        free(qt);
        if (error) {
            return err;
        }
    } else {
        memset(&spec, 0, sizeof spec);
    }
    if (qos_spec_equal(&spec, &pq->spec)) {
        qos_spec_uninit(&spec);
        return NULL;
    }
    int error = qos_install(dev, &pq->spec, &spec, &err);
    if (error) {
        /* Left to the next reconfiguration to retry; the old spec stays
         * as what we believe is there. */
        qos_spec_uninit(&spec);
        return err ? err : xstrdup(vs_strerror(error));
    }
    if (spec.type != pq->spec.type) {
        pq->created = time_msec();
    }
    VLOG_INFO("%s: QoS %s, %zu queue(s)", dev,
              spec.type == QOS_NONE ? "removed" : qos_type_name(spec.type),
              spec.n_queues);
    qos_spec_uninit(&pq->spec);
    pq->spec = spec;
    pq->changed = true;
    return NULL;
}

static char *
apply_policing(struct port_qos *pq, const char *dev, long long rate,
               long long burst)
{
    char *err = NULL;
    if (rate < 0 || rate > UINT32_MAX || burst < 0 || burst > UINT32_MAX) {
        return xasprintf("ingress_policing_rate %lld / burst %lld out of "
                         "range", rate, burst);
    }
    if (rate == pq->police_rate && (!rate || burst == pq->police_burst)) {
        return NULL;
    }
    int error = qos_set_policing(dev, rate, burst, &err);
    if (error) {
        return err ? err : xstrdup(vs_strerror(error));
    }
    VLOG_INFO("%s: ingress policing %s", dev, rate ? "set" : "removed");
    pq->police_rate = rate;
    pq->police_burst = rate ? burst : 0;
    return NULL;
}

char *
port_qos_apply(struct port_qos **pqp, const char *dev,
               const struct vs_port_cfg *c)
{
    if (!*pqp) {
        /* Once per port: QoS or a policer a vs-vswitchd before us left
         * that the database dropped meanwhile.  Only what is plainly ours
         * goes; any other qdisc or filter on the device stays. */
        char *err = NULL;
        int error = c->qos ? 0 : qos_remove_stale(dev, &err);
        if (error == 1) {
            VLOG_INFO("%s: removed QoS left by an earlier vs-vswitchd", dev);
        } else if (error) {
            VLOG_WARN_RL(&rl, "%s: %s", dev, err);
        }
        free(err);
        if (!c->ingress_policing_rate && qos_remove_stale_policer(dev)) {
            VLOG_INFO("%s: removed an ingress policer left by an earlier "
                      "vs-vswitchd", dev);
        }
        *pqp = xzalloc(sizeof **pqp);
    }
    struct port_qos *pq = *pqp;
    char *e1 = apply_queues(pq, dev, c->qos);
    char *e2 = apply_policing(pq, dev, c->ingress_policing_rate,
                              c->ingress_policing_burst);
    if (!e1 && !e2) {
        return NULL;
    }
    char *msg = e1 && e2 ? xasprintf("%s; %s", e1, e2) : e1 ? e1 : e2;
    if (e1 && e2) {
        free(e1);
        free(e2);
    }
    VLOG_WARN_RL(&rl, "%s: %s", dev, msg);
    return msg;
}

void
port_qos_destroy(struct port_qos *pq, const char *dev)
{
    if (pq) {
        struct qos_spec none;
        char *err = NULL;
        memset(&none, 0, sizeof none);
        if (pq->spec.type != QOS_NONE
            && qos_install(dev, &pq->spec, &none, &err)) {
            VLOG_WARN_RL(&rl, "%s: %s", dev, err ? err : "removing QoS");
        }
        free(err);
        err = NULL;
        if (pq->police_rate && qos_set_policing(dev, 0, 0, &err)) {
            VLOG_WARN_RL(&rl, "%s: %s", dev, err ? err : "removing policer");
        }
        free(err);
        port_qos_forget(pq);
    }
}

void
port_qos_forget(struct port_qos *pq)
{
    if (pq) {
        qos_spec_uninit(&pq->spec);
        free(pq);
    }
}

bool
port_qos_take_changed(struct port_qos *pq)
{
    bool changed = pq && pq->changed;
    if (pq) {
        pq->changed = false;
    }
    return changed;
}

bool
port_qos_has_qdisc(const struct port_qos *pq)
{
    return pq && pq->spec.type != QOS_NONE;
}

size_t
port_qos_queues(const struct port_qos *pq, const char *dev, bool stats,
                struct ofproto_queue **queuesp, uint64_t *port_rate)
{
    *queuesp = NULL;
    *port_rate = 0;
    if (!pq || pq->spec.type == QOS_NONE) {
        return 0;
    }
    const struct qos_spec *s = &pq->spec;
    struct ofproto_queue *q = xcalloc(s->n_queues ? s->n_queues : 1,
                                      sizeof *q);
    uint32_t *ids = xcalloc(s->n_queues ? s->n_queues : 1, sizeof *ids);
    struct qos_queue_stats *st = xcalloc(s->n_queues ? s->n_queues : 1,
                                         sizeof *st);
    for (size_t i = 0; i < s->n_queues; i++) {
        ids[i] = s->queues[i].id;
    }
    if (stats) {
        qos_queues_stats(dev, ids, s->n_queues, st);   /* One dump. */
    }
    for (size_t i = 0; i < s->n_queues; i++) {
        q[i].queue_id = s->queues[i].id;
        q[i].min_rate = s->queues[i].min_rate_set ? s->queues[i].min_rate : 0;
        q[i].max_rate = s->queues[i].max_rate;
        q[i].created = pq->created;
        q[i].dscp = s->queues[i].dscp;
        q[i].tx_bytes = st[i].tx_bytes;
        q[i].tx_packets = st[i].tx_packets;
        q[i].tx_errors = st[i].tx_drops;
    }
    free(ids);
    free(st);
    *queuesp = q;
    *port_rate = s->max_rate;
    return s->n_queues;
}
