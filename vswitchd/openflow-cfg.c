/* OpenFlow configuration as plain data (see openflow-cfg.h). */
#include <config.h>
#include "vswitchd/openflow-cfg.h"
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-msgs.h"
#include "util.h"
#include "vswitchd/bridge.h"

void
vs_openflow_cfg_destroy(struct vs_openflow_cfg *of)
{
    for (size_t i = 0; i < of->n_controllers; i++) {
        free(of->controllers[i].target);
    }
    free(of->controllers);
    for (size_t i = 0; i < of->n_tables; i++) {
        free(of->tables[i].name);
    }
    free(of->tables);
    free(of->dp_desc);
    memset(of, 0, sizeof *of);
}

static char *
strdup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void
vs_openflow_cfg_clone(struct vs_openflow_cfg *dst,
                      const struct vs_openflow_cfg *src)
{
    *dst = *src;
    dst->controllers = xcalloc(src->n_controllers ? src->n_controllers : 1,
                               sizeof *dst->controllers);
    for (size_t i = 0; i < src->n_controllers; i++) {
        dst->controllers[i] = src->controllers[i];
        dst->controllers[i].target = xstrdup(src->controllers[i].target);
    }
    dst->tables = xcalloc(src->n_tables ? src->n_tables : 1,
                          sizeof *dst->tables);
    for (size_t i = 0; i < src->n_tables; i++) {
        dst->tables[i] = src->tables[i];
        dst->tables[i].name = strdup_or_null(src->tables[i].name);
    }
    dst->dp_desc = strdup_or_null(src->dp_desc);
}

static bool
nullable_str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool
vs_controllers_equal(const struct vs_controller_cfg *a, size_t n_a,
                     const struct vs_controller_cfg *b, size_t n_b)
{
    if (n_a != n_b) {
        return false;
    }
    for (size_t i = 0; i < n_a; i++) {
        if (strcmp(a[i].target, b[i].target)
            || a[i].max_backoff_ms != b[i].max_backoff_ms
            || a[i].probe_interval_ms != b[i].probe_interval_ms
            || a[i].rate_limit != b[i].rate_limit
            || a[i].burst_limit != b[i].burst_limit) {
            return false;
        }
    }
    return true;
}

bool
vs_flow_tables_equal(const struct vs_openflow_cfg *a,
                     const struct vs_openflow_cfg *b)
{
    if (a->n_tables != b->n_tables) {
        return false;
    }
    for (size_t i = 0; i < a->n_tables; i++) {
        const struct vs_flow_table_cfg *x = &a->tables[i], *y = &b->tables[i];
        if (x->table_id != y->table_id || x->flow_limit != y->flow_limit
            || x->evict != y->evict || !nullable_str_eq(x->name, y->name)) {
            return false;
        }
    }
    return true;
}

uint32_t
vs_openflow_version_bit(const char *name)
{
    static const struct { const char *name; uint8_t version; } names[] = {
        { "OpenFlow10", OFP10_VERSION }, { "OpenFlow11", OFP11_VERSION },
        { "OpenFlow12", OFP12_VERSION }, { "OpenFlow13", OFP13_VERSION },
        { "OpenFlow14", OFP14_VERSION }, { "OpenFlow15", OFP15_VERSION },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(name, names[i].name)) {
            return OFP_VERSION_BIT(names[i].version);
        }
    }
    return 0;
}

uint32_t
vs_openflow_versions(const char *const *names, size_t n)
{
    uint32_t bits = 0;
    for (size_t i = 0; i < n; i++) {
        bits |= vs_openflow_version_bit(names[i]);
    }
    return bits;
}

bool
vs_dpid_from_string(const char *s, uint64_t *dpid)
{
    uint64_t v = 0;

    if (!s) {
        return false;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    }
    if (strlen(s) != 16) {
        return false;
    }
    for (size_t i = 0; i < 16; i++) {
        int c = (unsigned char) s[i];
        if (!isxdigit(c)) {
            return false;
        }
        v = (v << 4) | (uint64_t) (isdigit(c) ? c - '0'
                                   : tolower(c) - 'a' + 10);
    }
    if (!v) {
        return false;           /* OpenFlow has no switch with id 0. */
    }
    *dpid = v;
    return true;
}

uint64_t
vs_dpid_from_mac(const uint8_t mac[6])
{
    uint64_t v = 0;
    for (int i = 0; i < 6; i++) {
        v = (v << 8) | mac[i];
    }
    return v;
}

uint64_t
vs_dpid_from_name(const char *name)
{
    uint32_t h1 = hash_string(name, 0), h2 = hash_string(name, h1);
    uint8_t mac[6] = {
        0x02,                   /* Locally administered, unicast. */
        h1 >> 24, h1 >> 16, h1 >> 8, h1, h2,
    };
    return vs_dpid_from_mac(mac);
}

void
vs_dpid_format(uint64_t dpid, char buf[17])
{
    snprintf(buf, 17, "%016" PRIx64, dpid);
}

static int
compare_tables(const void *a_, const void *b_)
{
    const struct vs_flow_table_cfg *a = a_, *b = b_;
    return a->table_id < b->table_id ? -1 : a->table_id > b->table_id;
}

void
vs_flow_tables_sort(struct vs_openflow_cfg *of)
{
    size_t n = 0;

    /* A stable sort keeps later duplicates after earlier ones. */
    for (size_t i = 1; i < of->n_tables; i++) {
        struct vs_flow_table_cfg t = of->tables[i];
        size_t j = i;
        while (j > 0 && compare_tables(&of->tables[j - 1], &t) > 0) {
            of->tables[j] = of->tables[j - 1];
            j--;
        }
        of->tables[j] = t;
    }
    for (size_t i = 0; i < of->n_tables; i++) {
        if (n && of->tables[n - 1].table_id == of->tables[i].table_id) {
            free(of->tables[n - 1].name);
            of->tables[n - 1] = of->tables[i];
        } else {
            of->tables[n++] = of->tables[i];
        }
    }
    of->n_tables = n;
}
