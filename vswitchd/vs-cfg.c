/* struct vs_cfg, the configuration both sources produce (see bridge.h):
 * freeing it, apart from the bridge code so that the sources and their
 * tests need nothing of the switch. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "vswitchd/bridge.h"
#include "vswitchd/openflow-cfg.h"

void
vs_qos_cfg_destroy(struct vs_qos_cfg *qos)
{
    if (qos) {
        for (size_t i = 0; i < qos->n_queues; i++) {
            struct vs_queue_cfg *q = &qos->queues[i];
            free(q->min_rate);
            free(q->max_rate);
            free(q->burst);
            free(q->priority);
        }
        free(qos->queues);
        free(qos->type);
        free(qos->max_rate);
        free(qos);
    }
}

void
vs_cfg_destroy(struct vs_cfg *cfg)
{
    for (size_t i = 0; i < cfg->n_bridges; i++) {
        struct vs_bridge_cfg *b = &cfg->bridges[i];
        for (size_t j = 0; j < b->n_ports; j++) {
            struct vs_port_cfg *p = &b->ports[j];
            free(p->name);
            free(p->type);
            free(p->options);
            free(p->trunks);
            free(p->vlan_mode);
            vs_qos_cfg_destroy(p->qos);
        }
        free(b->ports);
        free(b->name);
        free(b->datapath_type);
        vs_openflow_cfg_destroy(&b->of);
    }
    free(cfg->bridges);
    memset(cfg, 0, sizeof *cfg);
}
