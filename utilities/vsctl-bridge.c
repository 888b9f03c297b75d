/* vs-vsctl: bridges (real and fake/VLAN), ports, bonds, interfaces,
 * controllers, fail mode, managers, SSL, "init" and "show".
 *
 * A cache maps names to rows: bridges (a fake bridge is a port of its
 * parent with fake_bridge=true and a tag), ports and interfaces.  Commands
 * keep it up to date as they change things; generic commands drop it. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include "util.h"
#include "vsctl.h"

struct vsctl_bridge {
    struct hmap_node node;      /* In cache 'bridges', by name. */
    char *name;
    struct idl_row *br_cfg;     /* Bridge row (the parent's if fake). */
    struct idl_row *port_cfg;   /* Fake bridge: its Port row; else NULL. */
    struct vsctl_bridge *parent;/* Fake bridge: the real one. */
    int vlan;                   /* Fake bridge: its tag; else 0. */
};

struct vsctl_port {
    struct hmap_node node;      /* In cache 'ports', by name. */
    struct idl_row *port_cfg;
    struct vsctl_bridge *bridge;
};

struct vsctl_iface {
    struct hmap_node node;      /* In cache 'ifaces', by name. */
    struct idl_row *iface_cfg;
    struct vsctl_port *port;
};

struct vsctl_cache {
    struct hmap bridges, ports, ifaces;
};

static const char *
row_name(const struct idl_row *row)
{
    const char *n = idl_row_get_string(row, "name");
    return n ? n : "";
}

static const struct idl_datum *
get(const struct idl_row *row, const char *column)
{
    return idl_row_get(row, idl_table_get_column(row->table, column));
}

static struct idl_row *
ref_row(struct vsctl_ctx *ctx, const char *table, const char *uuid)
{
    return idl_table_find_row(ovsdb_idl_get_table(ctx->idl, table), uuid);
}

/* Cache. */

void
vsctl_cache_destroy(struct vsctl_cache *c)
{
    struct vsctl_bridge *b, *bn;
    struct vsctl_port *p, *pn;
    struct vsctl_iface *i, *in;

    if (!c) {
        return;
    }
    HMAP_FOR_EACH_SAFE (b, bn, node, &c->bridges) {
        free(b->name);
        free(b);
    }
    HMAP_FOR_EACH_SAFE (p, pn, node, &c->ports) {
        free(p);
    }
    HMAP_FOR_EACH_SAFE (i, in, node, &c->ifaces) {
        free(i);
    }
    hmap_destroy(&c->bridges);
    hmap_destroy(&c->ports);
    hmap_destroy(&c->ifaces);
    free(c);
}

void
vsctl_invalidate_cache(struct vsctl_ctx *ctx)
{
    vsctl_cache_destroy(ctx->cache);
    ctx->cache = NULL;
}

static struct vsctl_bridge *
find_bridge(struct vsctl_cache *c, const char *name)
{
    struct vsctl_bridge *b;
    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(name, 0), &c->bridges) {
        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

static struct vsctl_port *
find_port(struct vsctl_cache *c, const char *name)
{
    struct vsctl_port *p;
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_string(name, 0), &c->ports) {
        if (!strcmp(row_name(p->port_cfg), name)) {
            return p;
        }
    }
    return NULL;
}

static struct vsctl_iface *
find_iface(struct vsctl_cache *c, const char *name)
{
    struct vsctl_iface *i;
    HMAP_FOR_EACH_WITH_HASH (i, node, hash_string(name, 0), &c->ifaces) {
        if (!strcmp(row_name(i->iface_cfg), name)) {
            return i;
        }
    }
    return NULL;
}

static struct vsctl_bridge *
cache_add_bridge(struct vsctl_cache *c, const char *name,
                 struct idl_row *br_cfg, struct idl_row *port_cfg,
                 struct vsctl_bridge *parent, int vlan)
{
    struct vsctl_bridge *b = xzalloc(sizeof *b);
    b->name = xstrdup(name);
    b->br_cfg = br_cfg;
    b->port_cfg = port_cfg;
    b->parent = parent;
    b->vlan = vlan;
    hmap_insert(&c->bridges, &b->node, hash_string(name, 0));
    return b;
}

static bool
port_is_fake_bridge(const struct idl_row *port)
{
    const struct idl_datum *fb = get(port, "fake_bridge");
    const struct idl_datum *tag = get(port, "tag");
    return fb->n && fb->keys[0].boolean && tag->n == 1;
}

/* The fake bridge child of 'parent' with VLAN 'vlan', if any. */
static struct vsctl_bridge *
find_vlan_bridge(struct vsctl_cache *c, struct vsctl_bridge *parent, int vlan)
{
    struct vsctl_bridge *b;
    HMAP_FOR_EACH (b, node, &c->bridges) {
        if (b->parent == parent && b->vlan == vlan) {
            return b;
        }
    }
    return NULL;
}

static void
cache_add_iface(struct vsctl_cache *c, struct vsctl_port *p,
                struct idl_row *iface)
{
    const char *name = row_name(iface);
    if (find_iface(c, name)) {
        return;                 /* Duplicate name: keep the first. */
    }
    struct vsctl_iface *i = xzalloc(sizeof *i);
    i->iface_cfg = iface;
    i->port = p;
    hmap_insert(&c->ifaces, &i->node, hash_string(name, 0));
}

static struct vsctl_port *
cache_add_port(struct vsctl_ctx *ctx, struct vsctl_bridge *br,
               struct idl_row *port)
{
    struct vsctl_cache *c = ctx->cache;
    const char *name = row_name(port);
    const struct idl_datum *tag = get(port, "tag");

    if (find_port(c, name)) {
        return NULL;
    }
    if (tag->n == 1 && !br->parent) {
        struct vsctl_bridge *vb = find_vlan_bridge(c, br, tag->keys[0].integer);
        if (vb) {
            br = vb;
        }
    }
    struct vsctl_port *p = xzalloc(sizeof *p);
    p->port_cfg = port;
    p->bridge = br;
    hmap_insert(&c->ports, &p->node, hash_string(name, 0));
    const struct idl_datum *ifs = get(port, "interfaces");
    for (size_t i = 0; i < ifs->n; i++) {
        struct idl_row *iface = ref_row(ctx, "Interface", ifs->keys[i].string);
        if (iface) {
            cache_add_iface(c, p, iface);
        }
    }
    return p;
}

static struct vsctl_cache *
cache_get(struct vsctl_ctx *ctx)
{
    if (ctx->cache) {
        return ctx->cache;
    }
    struct vsctl_cache *c = ctx->cache = xzalloc(sizeof *c);
    hmap_init(&c->bridges);
    hmap_init(&c->ports);
    hmap_init(&c->ifaces);

    const struct idl_datum *brs = get(ctx->ovs, "bridges");
    for (size_t i = 0; i < brs->n; i++) {
        struct idl_row *br = ref_row(ctx, "Bridge", brs->keys[i].string);
        if (!br || find_bridge(c, row_name(br))) {
            continue;
        }
        struct vsctl_bridge *b = cache_add_bridge(c, row_name(br), br, NULL,
                                                  NULL, 0);
        const struct idl_datum *ports = get(br, "ports");
        for (size_t j = 0; j < ports->n; j++) {
            struct idl_row *p = ref_row(ctx, "Port", ports->keys[j].string);
            if (p && port_is_fake_bridge(p) && !find_bridge(c, row_name(p))) {
                cache_add_bridge(c, row_name(p), br, p, b,
                                 get(p, "tag")->keys[0].integer);
            }
        }
    }
    for (size_t i = 0; i < brs->n; i++) {
        struct idl_row *br = ref_row(ctx, "Bridge", brs->keys[i].string);
        struct vsctl_bridge *b = br ? find_bridge(c, row_name(br)) : NULL;
        if (!b || b->br_cfg != br) {
            continue;
        }
        const struct idl_datum *ports = get(br, "ports");
        for (size_t j = 0; j < ports->n; j++) {
            struct idl_row *p = ref_row(ctx, "Port", ports->keys[j].string);
            if (p) {
                cache_add_port(ctx, b, p);
            }
        }
    }
    return c;
}

/* Makes the set of bridges a guard of the transaction, so that a command
 * that found a bridge (e.g. the parent of a new fake bridge) tries again if
 * another client deleted it meanwhile.  Ports and interfaces need no guards
 * of their own: sets change by "mutate" (concurrent add-ports to one bridge
 * do not conflict), and the schema's unique name indexes make the server
 * refuse a duplicate name that another client added meanwhile. */
static void
verify_ports(struct vsctl_ctx *ctx)
{
    if (!ctx->ports_verified) {
        ctx->ports_verified = true;
        vsctl_read(ctx, ctx->ovs, "bridges");
    }
}

static struct vsctl_bridge *
must_bridge(struct vsctl_ctx *ctx, const char *name)
{
    struct vsctl_bridge *b = find_bridge(cache_get(ctx), name);
    if (!b) {
        vsctl_fatal("no bridge named %s", name);
    }
    return b;
}

static struct vsctl_port *
must_port(struct vsctl_ctx *ctx, const char *name)
{
    struct vsctl_port *p = find_port(cache_get(ctx), name);
    if (!p) {
        vsctl_fatal("no port named %s", name);
    }
    return p;
}

static int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static void
print_sorted(struct vsctl_ctx *ctx, const char **names, size_t n)
{
    qsort(names, n, sizeof *names, cmp_strp);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ctx->output, "%s\n", names[i]);
    }
}

/* Commands. */

static void
cmd_init(struct vsctl_ctx *ctx VS_UNUSED)
{
    /* The Open_vSwitch row is created by the caller if it is missing. */
}

static struct idl_row *
insert_iface(struct vsctl_ctx *ctx, const char *name, const char *type)
{
    struct idl_row *iface = vsctl_insert(ctx, "Interface");
    vsctl_write_string(ctx, iface, "name", name);
    if (type) {
        vsctl_write_string(ctx, iface, "type", type);
    }
    return iface;
}

static struct idl_row *
insert_port(struct vsctl_ctx *ctx, const char *name, struct idl_row **ifaces,
            size_t n_ifaces)
{
    struct idl_row *port = vsctl_insert(ctx, "Port");
    vsctl_write_string(ctx, port, "name", name);
    for (size_t i = 0; i < n_ifaces; i++) {
        vsctl_set_add_uuid(ctx, port, "interfaces", ifaces[i]->uuid);
    }
    return port;
}

static void
check_name_free(struct vsctl_ctx *ctx, const char *what, const char *name)
{
    struct vsctl_cache *c = cache_get(ctx);
    struct vsctl_port *p = find_port(c, name);
    struct vsctl_iface *i = find_iface(c, name);

    if (find_bridge(c, name)) {
        vsctl_fatal("cannot create %s named %s because a bridge named %s "
                    "already exists", what, name, name);
    }
    if (p) {
        vsctl_fatal("cannot create %s named %s because a port named %s "
                    "already exists on bridge %s", what, name, name,
                    p->bridge->name);
    }
    if (i) {
        vsctl_fatal("cannot create %s named %s because an interface named "
                    "%s already exists on bridge %s", what, name, name,
                    i->port->bridge->name);
    }
}

static void
cmd_add_br(struct vsctl_ctx *ctx)
{
    bool may_exist = vsctl_has_option(ctx, "--may-exist");
    const char *name = ctx->argv[1];
    const char *parent_name = ctx->argc > 2 ? ctx->argv[2] : NULL;
    int vlan = 0;

    if (ctx->argc == 3) {
        vsctl_fatal("'add-br' command takes exactly 1 or 3 arguments");
    }
    if (parent_name && (!str_to_int(ctx->argv[3], 10, &vlan)
                        || vlan < 0 || vlan > 4095)) {
        vsctl_fatal("vlan must be between 0 and 4095 (got %s)", ctx->argv[3]);
    }
    verify_ports(ctx);
    struct vsctl_cache *c = cache_get(ctx);
    struct vsctl_bridge *b = find_bridge(c, name);
    if (b) {
        if (!may_exist) {
            vsctl_fatal("cannot create a bridge named %s because a bridge "
                        "named %s already exists", name, name);
        }
        if (!parent_name && b->parent) {
            vsctl_fatal("\"--may-exist add-br %s\" but %s is a VLAN bridge "
                        "for VLAN %d", name, name, b->vlan);
        }
        if (parent_name && (!b->parent || strcmp(b->parent->name, parent_name)
                            || b->vlan != vlan)) {
            vsctl_fatal("\"--may-exist add-br %s %s %d\" but %s already "
                        "exists with a different parent or VLAN", name,
                        parent_name, vlan, name);
        }
        return;
    }
    check_name_free(ctx, "a bridge", name);

    struct idl_row *iface = insert_iface(ctx, name, "internal");
    struct idl_row *port = insert_port(ctx, name, &iface, 1);
    if (!parent_name) {
        struct idl_row *br = vsctl_insert(ctx, "Bridge");
        vsctl_write_string(ctx, br, "name", name);
        vsctl_set_add_uuid(ctx, br, "ports", port->uuid);
        vsctl_set_add_uuid(ctx, ctx->ovs, "bridges", br->uuid);
        b = cache_add_bridge(c, name, br, NULL, NULL, 0);
    } else {
        struct vsctl_bridge *parent = find_bridge(c, parent_name);
        if (!parent) {
            vsctl_fatal("parent bridge %s does not exist", parent_name);
        }
        if (parent->parent) {
            vsctl_fatal("cannot create bridge with fake bridge as parent");
        }
        vsctl_write_bool(ctx, port, "fake_bridge", true);
        vsctl_write_int(ctx, port, "tag", vlan);
        vsctl_set_add_uuid(ctx, parent->br_cfg, "ports", port->uuid);
        b = cache_add_bridge(c, name, parent->br_cfg, port, parent, vlan);
    }
    cache_add_port(ctx, b, port);
}

static void
delete_port(struct vsctl_ctx *ctx, struct vsctl_port *p)
{
    struct vsctl_cache *c = ctx->cache;
    const struct idl_datum *ifs = get(p->port_cfg, "interfaces");

    for (size_t i = 0; i < ifs->n; i++) {
        struct idl_row *iface = ref_row(ctx, "Interface",
                                        ifs->keys[i].string);
        struct vsctl_iface *ci = iface ? find_iface(c, row_name(iface)) : NULL;
        if (ci && ci->iface_cfg == iface) {
            hmap_remove(&c->ifaces, &ci->node);
            free(ci);
        }
        if (iface) {
            ovsdb_idl_txn_delete(ctx->txn, iface);
        }
    }
    vsctl_set_remove_uuid(ctx, p->bridge->br_cfg, "ports", p->port_cfg->uuid);
    ovsdb_idl_txn_delete(ctx->txn, p->port_cfg);
    hmap_remove(&c->ports, &p->node);
    free(p);
}

static void
delete_bridge(struct vsctl_ctx *ctx, struct vsctl_bridge *b)
{
    struct vsctl_cache *c = ctx->cache;
    struct vsctl_port *p, *pn;
    struct vsctl_bridge *child, *cn;

    HMAP_FOR_EACH_SAFE (p, pn, node, &c->ports) {
        if (p->bridge == b || (!b->parent && p->bridge->parent == b)) {
            delete_port(ctx, p);
        }
    }
    if (!b->parent) {
        vsctl_set_remove_uuid(ctx, ctx->ovs, "bridges", b->br_cfg->uuid);
        ovsdb_idl_txn_delete(ctx->txn, b->br_cfg);
        HMAP_FOR_EACH_SAFE (child, cn, node, &c->bridges) {
            if (child->parent == b) {
                hmap_remove(&c->bridges, &child->node);
                free(child->name);
                free(child);
            }
        }
    }
    hmap_remove(&c->bridges, &b->node);
    free(b->name);
    free(b);
}

static void
cmd_del_br(struct vsctl_ctx *ctx)
{
    verify_ports(ctx);
    struct vsctl_bridge *b = find_bridge(cache_get(ctx), ctx->argv[1]);
    if (!b) {
        if (!vsctl_has_option(ctx, "--if-exists")) {
            vsctl_fatal("no bridge named %s", ctx->argv[1]);
        }
        return;
    }
    delete_bridge(ctx, b);
}

static void
cmd_list_br(struct vsctl_ctx *ctx)
{
    bool real = vsctl_has_option(ctx, "--real");
    bool fake = vsctl_has_option(ctx, "--fake");
    struct vsctl_cache *c = cache_get(ctx);
    const char **names = xcalloc(hmap_count(&c->bridges) + 1, sizeof *names);
    struct vsctl_bridge *b;
    size_t n = 0;

    vsctl_read(ctx, ctx->ovs, "bridges");
    HMAP_FOR_EACH (b, node, &c->bridges) {
        if ((real && b->parent) || (fake && !b->parent)) {
            continue;
        }
        names[n++] = b->name;
    }
    print_sorted(ctx, names, n);
    free(names);
}

static void
cmd_br_exists(struct vsctl_ctx *ctx)
{
    vsctl_read(ctx, ctx->ovs, "bridges");
    if (!find_bridge(cache_get(ctx), ctx->argv[1])) {
        exit(2);
    }
}

static void
cmd_br_to_vlan(struct vsctl_ctx *ctx)
{
    ds_put_format(ctx->output, "%d\n", must_bridge(ctx, ctx->argv[1])->vlan);
}

static void
cmd_br_to_parent(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    ds_put_format(ctx->output, "%s\n", b->parent ? b->parent->name : b->name);
}

/* A fake bridge keeps its external ids on its port, with a prefix. */
static void
br_external_ids(struct vsctl_bridge *b, struct idl_row **row,
                const char **prefix)
{
    *row = b->parent ? b->port_cfg : b->br_cfg;
    *prefix = b->parent ? "fake-bridge-" : "";
}

static void
cmd_br_set_external_id(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    struct idl_row *row;
    const char *prefix;

    br_external_ids(b, &row, &prefix);
    char *key = xasprintf("%s%s", prefix, ctx->argv[2]);
    vsctl_map_set(ctx, row, "external_ids", key,
                  ctx->argc > 3 ? ctx->argv[3] : NULL);
    free(key);
}

static void
cmd_br_get_external_id(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    struct idl_row *row;
    const char *prefix;

    br_external_ids(b, &row, &prefix);
    const struct idl_datum *d = vsctl_read(ctx, row, "external_ids");
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < d->n; i++) {
        const char *k = d->keys[i].string;
        if (strncmp(k, prefix, plen)) {
            continue;
        }
        if (ctx->argc > 2) {
            if (!strcmp(k + plen, ctx->argv[2])) {
                ds_put_format(ctx->output, "%s\n", d->values[i].string);
            }
        } else {
            ds_put_format(ctx->output, "%s=%s\n", k + plen,
                          d->values[i].string);
        }
    }
}

static void
cmd_list_ports(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    struct vsctl_cache *c = ctx->cache;
    const char **names = xcalloc(hmap_count(&c->ports) + 1, sizeof *names);
    struct vsctl_port *p;
    size_t n = 0;

    vsctl_read(ctx, b->br_cfg, "ports");
    HMAP_FOR_EACH (p, node, &c->ports) {
        if (p->bridge == b && strcmp(row_name(p->port_cfg), b->name)) {
            names[n++] = row_name(p->port_cfg);
        }
    }
    print_sorted(ctx, names, n);
    free(names);
}

static void
cmd_list_ifaces(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    struct vsctl_cache *c = ctx->cache;
    const char **names = xcalloc(hmap_count(&c->ifaces) + 1, sizeof *names);
    struct vsctl_iface *i;
    size_t n = 0;

    vsctl_read(ctx, b->br_cfg, "ports");
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        if (i->port->bridge == b && strcmp(row_name(i->iface_cfg), b->name)) {
            names[n++] = row_name(i->iface_cfg);
        }
    }
    print_sorted(ctx, names, n);
    free(names);
}

/* add-port and add-bond: BRIDGE PORT IFACE... [COLUMN[:KEY]=VALUE]... */
static void
add_port(struct vsctl_ctx *ctx, const char *br_name, const char *port_name,
         char **iface_names, size_t n_ifaces, char **settings,
         size_t n_settings, bool fake_iface)
{
    bool may_exist = vsctl_has_option(ctx, "--may-exist");

    verify_ports(ctx);
    struct vsctl_cache *c = cache_get(ctx);
    struct vsctl_bridge *b = find_bridge(c, br_name);
    struct vsctl_port *existing = find_port(c, port_name);

    if (existing && may_exist) {
        if (existing->bridge != b) {
            vsctl_fatal("\"--may-exist add-port %s %s\" but %s is actually "
                        "attached to bridge %s", br_name, port_name,
                        port_name, existing->bridge->name);
        }
        return;
    }
    if (!b) {
        vsctl_fatal("no bridge named %s", br_name);
    }
    check_name_free(ctx, "a port", port_name);
    struct idl_row **ifaces = xcalloc(n_ifaces, sizeof *ifaces);
    for (size_t i = 0; i < n_ifaces; i++) {
        if (strcmp(iface_names[i], port_name)) {
            check_name_free(ctx, "an interface", iface_names[i]);
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(iface_names[i], iface_names[j])) {
                vsctl_fatal("interface %s specified twice", iface_names[i]);
            }
        }
        ifaces[i] = insert_iface(ctx, iface_names[i], NULL);
    }
    struct idl_row *port = insert_port(ctx, port_name, ifaces, n_ifaces);
    free(ifaces);
    if (fake_iface) {
        vsctl_write_bool(ctx, port, "bond_fake_iface", true);
    }
    if (b->parent) {
        vsctl_write_int(ctx, port, "tag", b->vlan);
    }
    for (size_t i = 0; i < n_settings; i++) {
        vsctl_set_column(ctx, port, settings[i]);
    }
    vsctl_set_add_uuid(ctx, b->br_cfg, "ports", port->uuid);
    cache_add_port(ctx, b->parent ? b->parent : b, port);
}

static void
cmd_add_port(struct vsctl_ctx *ctx)
{
    add_port(ctx, ctx->argv[1], ctx->argv[2], &ctx->argv[2], 1,
             &ctx->argv[3], ctx->argc - 3, false);
}

static void
cmd_add_bond(struct vsctl_ctx *ctx)
{
    int n_ifaces = 0;
    while (3 + n_ifaces < ctx->argc && !strchr(ctx->argv[3 + n_ifaces], '=')) {
        n_ifaces++;
    }
    if (n_ifaces < 2) {
        vsctl_fatal("add-bond requires at least 2 interfaces, but only %d "
                    "were specified", n_ifaces);
    }
    add_port(ctx, ctx->argv[1], ctx->argv[2], &ctx->argv[3], n_ifaces,
             &ctx->argv[3 + n_ifaces], ctx->argc - 3 - n_ifaces,
             vsctl_has_option(ctx, "--fake-iface"));
}

static void
cmd_add_bond_iface(struct vsctl_ctx *ctx)
{
    bool may_exist = vsctl_has_option(ctx, "--may-exist");
    verify_ports(ctx);
    struct vsctl_port *p = must_port(ctx, ctx->argv[1]);
    struct vsctl_iface *i = find_iface(ctx->cache, ctx->argv[2]);

    if (i) {
        if (may_exist && i->port == p) {
            return;
        }
        vsctl_fatal("cannot create an interface named %s because an "
                    "interface named %s already exists on bridge %s",
                    ctx->argv[2], ctx->argv[2], i->port->bridge->name);
    }
    struct idl_row *iface = insert_iface(ctx, ctx->argv[2], NULL);
    vsctl_set_add_uuid(ctx, p->port_cfg, "interfaces", iface->uuid);
    cache_add_iface(ctx->cache, p, iface);
}

static void
cmd_del_bond_iface(struct vsctl_ctx *ctx)
{
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    const char *iface_name = ctx->argv[ctx->argc - 1];
    verify_ports(ctx);
    struct vsctl_iface *i = find_iface(cache_get(ctx), iface_name);

    if (!i) {
        if (!if_exists) {
            vsctl_fatal("no interface named %s", iface_name);
        }
        return;
    }
    if (ctx->argc > 2 && strcmp(row_name(i->port->port_cfg), ctx->argv[1])) {
        vsctl_fatal("port %s does not have an interface %s", ctx->argv[1],
                    iface_name);
    }
    if (get(i->port->port_cfg, "interfaces")->n <= 1) {
        vsctl_fatal("cannot remove interface %s: it is the last interface of "
                    "port %s (use del-port)", iface_name,
                    row_name(i->port->port_cfg));
    }
    vsctl_set_remove_uuid(ctx, i->port->port_cfg, "interfaces",
                          i->iface_cfg->uuid);
    ovsdb_idl_txn_delete(ctx->txn, i->iface_cfg);
    hmap_remove(&ctx->cache->ifaces, &i->node);
    free(i);
}

static void
cmd_del_port(struct vsctl_ctx *ctx)
{
    bool if_exists = vsctl_has_option(ctx, "--if-exists");
    bool with_iface = vsctl_has_option(ctx, "--with-iface");
    const char *target = ctx->argv[ctx->argc - 1];

    verify_ports(ctx);
    struct vsctl_cache *c = cache_get(ctx);
    struct vsctl_bridge *b = ctx->argc > 2 ? must_bridge(ctx, ctx->argv[1])
                                           : NULL;
    struct vsctl_port *p = find_port(c, target);
    if (!p && with_iface) {
        struct vsctl_iface *i = find_iface(c, target);
        p = i ? i->port : NULL;
    }
    if (!p) {
        if (!if_exists) {
            vsctl_fatal("no port named %s", target);
        }
        return;
    }
    if (find_bridge(c, row_name(p->port_cfg))) {
        vsctl_fatal("cannot delete port %s because it is the local port "
                    "for bridge %s (deleting this port requires deleting "
                    "the entire bridge)", row_name(p->port_cfg),
                    row_name(p->port_cfg));
    }
    if (b && p->bridge != b) {
        if (p->bridge->parent == b) {
            vsctl_fatal("bridge %s does not have a port %s (although its "
                        "child bridge %s does)", b->name, target,
                        p->bridge->name);
        }
        vsctl_fatal("bridge %s does not have a port %s", b->name, target);
    }
    delete_port(ctx, p);
}

static void
cmd_port_to_br(struct vsctl_ctx *ctx)
{
    struct vsctl_port *p = must_port(ctx, ctx->argv[1]);
    ds_put_format(ctx->output, "%s\n", p->bridge->name);
}

static void
cmd_iface_to_br(struct vsctl_ctx *ctx)
{
    struct vsctl_iface *i = find_iface(cache_get(ctx), ctx->argv[1]);
    if (!i) {
        vsctl_fatal("no interface named %s", ctx->argv[1]);
    }
    ds_put_format(ctx->output, "%s\n", i->port->bridge->name);
}

/* Controllers and fail mode (a fake bridge uses its parent's). */

static void
print_targets(struct vsctl_ctx *ctx, const char *table,
              const struct idl_datum *refs)
{
    const char **names = xcalloc(refs->n + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < refs->n; i++) {
        struct idl_row *r = ref_row(ctx, table, refs->keys[i].string);
        const char *t = r ? idl_row_get_string(r, "target") : NULL;
        if (t) {
            names[n++] = t;
        }
    }
    print_sorted(ctx, names, n);
    free(names);
}

static void
delete_refs(struct vsctl_ctx *ctx, struct idl_row *row, const char *column,
            const char *table)
{
    const struct idl_datum *refs = vsctl_read(ctx, row, column);
    for (size_t i = 0; i < refs->n; i++) {
        struct idl_row *r = ref_row(ctx, table, refs->keys[i].string);
        if (r) {
            ovsdb_idl_txn_delete(ctx->txn, r);
        }
    }
    vsctl_clear_column(ctx, row, column);
}

static void
insert_targets(struct vsctl_ctx *ctx, struct idl_row *row, const char *column,
               const char *table, char **targets, int n)
{
    for (int i = 0; i < n; i++) {
        struct idl_row *r = vsctl_insert(ctx, table);
        vsctl_write_string(ctx, r, "target", targets[i]);
        vsctl_set_add_uuid(ctx, row, column, r->uuid);
    }
}

static void
cmd_get_controller(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    print_targets(ctx, "Controller", vsctl_read(ctx, b->br_cfg, "controller"));
}

static void
cmd_del_controller(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    delete_refs(ctx, b->br_cfg, "controller", "Controller");
}

static void
cmd_set_controller(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    delete_refs(ctx, b->br_cfg, "controller", "Controller");
    insert_targets(ctx, b->br_cfg, "controller", "Controller", &ctx->argv[2],
                   ctx->argc - 2);
}

static void
cmd_get_fail_mode(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    const struct idl_datum *d = vsctl_read(ctx, b->br_cfg, "fail_mode");
    if (d->n) {
        ds_put_format(ctx->output, "%s\n", d->keys[0].string);
    }
}

static void
cmd_del_fail_mode(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    vsctl_write_string(ctx, b->br_cfg, "fail_mode", NULL);
}

static void
cmd_set_fail_mode(struct vsctl_ctx *ctx)
{
    struct vsctl_bridge *b = must_bridge(ctx, ctx->argv[1]);
    const char *mode = ctx->argv[2];
    if (strcmp(mode, "standalone") && strcmp(mode, "secure")) {
        vsctl_fatal("fail-mode must be \"standalone\" or \"secure\"");
    }
    vsctl_write_string(ctx, b->br_cfg, "fail_mode", mode);
}

/* Managers and SSL live on the Open_vSwitch row. */

static void
cmd_get_manager(struct vsctl_ctx *ctx)
{
    print_targets(ctx, "Manager", vsctl_read(ctx, ctx->ovs,
                                             "manager_options"));
}

static void
cmd_del_manager(struct vsctl_ctx *ctx)
{
    delete_refs(ctx, ctx->ovs, "manager_options", "Manager");
}

static void
cmd_set_manager(struct vsctl_ctx *ctx)
{
    delete_refs(ctx, ctx->ovs, "manager_options", "Manager");
    insert_targets(ctx, ctx->ovs, "manager_options", "Manager", &ctx->argv[1],
                   ctx->argc - 1);
}

static struct idl_row *
get_ssl(struct vsctl_ctx *ctx)
{
    const struct idl_datum *d = vsctl_read(ctx, ctx->ovs, "ssl");
    return d->n ? ref_row(ctx, "SSL", d->keys[0].string) : NULL;
}

static void
cmd_get_ssl(struct vsctl_ctx *ctx)
{
    struct idl_row *ssl = get_ssl(ctx);
    if (ssl) {
        const struct idl_datum *bs = get(ssl, "bootstrap_ca_cert");
        ds_put_format(ctx->output, "Private key: %s\nCertificate: %s\n"
                      "CA Certificate: %s\nBootstrap: %s\n",
                      idl_row_get_string(ssl, "private_key"),
                      idl_row_get_string(ssl, "certificate"),
                      idl_row_get_string(ssl, "ca_cert"),
                      bs->n && bs->keys[0].boolean ? "true" : "false");
    }
}

static void
cmd_del_ssl(struct vsctl_ctx *ctx)
{
    struct idl_row *ssl = get_ssl(ctx);
    if (ssl) {
        ovsdb_idl_txn_delete(ctx->txn, ssl);
        vsctl_clear_column(ctx, ctx->ovs, "ssl");
    }
}

static void
cmd_set_ssl(struct vsctl_ctx *ctx)
{
    cmd_del_ssl(ctx);
    struct idl_row *ssl = vsctl_insert(ctx, "SSL");
    vsctl_write_string(ctx, ssl, "private_key", ctx->argv[1]);
    vsctl_write_string(ctx, ssl, "certificate", ctx->argv[2]);
    vsctl_write_string(ctx, ssl, "ca_cert", ctx->argv[3]);
    vsctl_write_bool(ctx, ssl, "bootstrap_ca_cert",
                     vsctl_has_option(ctx, "--bootstrap"));
    vsctl_set_add_uuid(ctx, ctx->ovs, "ssl", ssl->uuid);
}

/* show */

static void
show_column(struct ds *o, int indent, const struct idl_row *row,
            const char *column)
{
    const struct idl_column *c = idl_table_get_column(row->table, column);
    if (!c) {
        return;
    }
    const struct idl_datum *d = idl_row_get(row, c);
    if (!d->n || (d->n == 1 && c->type.key.type == OVSDB_TYPE_STRING
                  && !ovsdb_type_is_map(&c->type) && !d->keys[0].string[0])) {
        return;
    }
    ds_put_format(o, "%*s%s: ", indent, "", column);
    idl_datum_to_string(d, &c->type, o);
    ds_put_char(o, '\n');
}

static void
show_targets(struct vsctl_ctx *ctx, struct ds *o, int indent,
             const char *table, const struct idl_datum *refs)
{
    for (size_t i = 0; i < refs->n; i++) {
        struct idl_row *r = ref_row(ctx, table, refs->keys[i].string);
        if (!r) {
            continue;
        }
        union idl_atom a = { .string = (char *) idl_row_get_string(r,
                                                                   "target") };
        ds_put_format(o, "%*s%s ", indent, "", table);
        idl_atom_to_string(&a, OVSDB_TYPE_STRING, o);
        ds_put_char(o, '\n');
        const struct idl_datum *conn = get(r, "is_connected");
        if (conn->n && conn->keys[0].boolean) {
            ds_put_format(o, "%*sis_connected: true\n", indent + 4, "");
        }
    }
}

static int
cmp_rows_by_name(const void *a, const void *b)
{
    return strcmp(row_name(*(struct idl_row *const *) a),
                  row_name(*(struct idl_row *const *) b));
}

static void
show_ports(struct vsctl_ctx *ctx, struct ds *o, struct idl_row *br)
{
    const struct idl_datum *ports = get(br, "ports");
    struct idl_row **rows = xcalloc(ports->n + 1, sizeof *rows);
    size_t n = 0;

    for (size_t i = 0; i < ports->n; i++) {
        struct idl_row *p = ref_row(ctx, "Port", ports->keys[i].string);
        if (p) {
            rows[n++] = p;
        }
    }
    qsort(rows, n, sizeof *rows, cmp_rows_by_name);
    for (size_t i = 0; i < n; i++) {
        struct idl_row *p = rows[i];
        union idl_atom a = { .string = (char *) row_name(p) };
        ds_put_cstr(o, "        Port ");
        idl_atom_to_string(&a, OVSDB_TYPE_STRING, o);
        ds_put_char(o, '\n');
        show_column(o, 12, p, "tag");
        show_column(o, 12, p, "trunks");
        show_column(o, 12, p, "vlan_mode");
        show_column(o, 12, p, "bond_mode");
        const struct idl_datum *ifs = get(p, "interfaces");
        struct idl_row **irows = xcalloc(ifs->n + 1, sizeof *irows);
        size_t ni = 0;
        for (size_t j = 0; j < ifs->n; j++) {
            struct idl_row *r = ref_row(ctx, "Interface", ifs->keys[j].string);
            if (r) {
                irows[ni++] = r;
            }
        }
        qsort(irows, ni, sizeof *irows, cmp_rows_by_name);
        for (size_t j = 0; j < ni; j++) {
            union idl_atom ia = { .string = (char *) row_name(irows[j]) };
            ds_put_cstr(o, "            Interface ");
            idl_atom_to_string(&ia, OVSDB_TYPE_STRING, o);
            ds_put_char(o, '\n');
            show_column(o, 16, irows[j], "type");
            show_column(o, 16, irows[j], "options");
            show_column(o, 16, irows[j], "error");
        }
        free(irows);
    }
    free(rows);
}

static void
cmd_show(struct vsctl_ctx *ctx)
{
    struct ds *o = ctx->output;
    const struct idl_datum *brs = get(ctx->ovs, "bridges");
    struct idl_row **rows = xcalloc(brs->n + 1, sizeof *rows);
    size_t n = 0;

    ds_put_format(o, "%s\n", ctx->ovs->uuid);
    show_targets(ctx, o, 4, "Manager", get(ctx->ovs, "manager_options"));
    for (size_t i = 0; i < brs->n; i++) {
        struct idl_row *br = ref_row(ctx, "Bridge", brs->keys[i].string);
        if (br) {
            rows[n++] = br;
        }
    }
    qsort(rows, n, sizeof *rows, cmp_rows_by_name);
    for (size_t i = 0; i < n; i++) {
        union idl_atom a = { .string = (char *) row_name(rows[i]) };
        ds_put_cstr(o, "    Bridge ");
        idl_atom_to_string(&a, OVSDB_TYPE_STRING, o);
        ds_put_char(o, '\n');
        show_targets(ctx, o, 8, "Controller", get(rows[i], "controller"));
        show_column(o, 8, rows[i], "fail_mode");
        show_column(o, 8, rows[i], "datapath_type");
        show_ports(ctx, o, rows[i]);
    }
    free(rows);
    show_column(o, 4, ctx->ovs, "ovs_version");
}

const struct vsctl_command_syntax vsctl_bridge_commands[] = {
    { "init", 0, 0, "", cmd_init, NULL, "", VSCTL_RW },
    { "show", 0, 0, "", cmd_show, NULL, "", VSCTL_RO },
    { "add-br", 1, 3, "BRIDGE [PARENT] [VLAN]", cmd_add_br, NULL,
      "--may-exist", VSCTL_RW },
    { "del-br", 1, 1, "BRIDGE", cmd_del_br, NULL, "--if-exists", VSCTL_RW },
    { "list-br", 0, 0, "", cmd_list_br, NULL, "--real,--fake", VSCTL_RO },
    { "br-exists", 1, 1, "BRIDGE", cmd_br_exists, NULL, "", VSCTL_RO },
    { "br-to-vlan", 1, 1, "BRIDGE", cmd_br_to_vlan, NULL, "", VSCTL_RO },
    { "br-to-parent", 1, 1, "BRIDGE", cmd_br_to_parent, NULL, "", VSCTL_RO },
    { "br-set-external-id", 2, 3, "BRIDGE KEY [VALUE]",
      cmd_br_set_external_id, NULL, "", VSCTL_RW },
    { "br-get-external-id", 1, 2, "BRIDGE [KEY]", cmd_br_get_external_id,
      NULL, "", VSCTL_RO },
    { "list-ports", 1, 1, "BRIDGE", cmd_list_ports, NULL, "", VSCTL_RO },
    { "add-port", 2, -1, "BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]...",
      cmd_add_port, NULL, "--may-exist", VSCTL_RW },
    { "add-bond", 3, -1, "BRIDGE NEW-PORT IFACE... [COLUMN[:KEY]=VALUE]...",
      cmd_add_bond, NULL, "--may-exist,--fake-iface", VSCTL_RW },
    { "add-bond-iface", 2, 2, "BOND IFACE", cmd_add_bond_iface, NULL,
      "--may-exist", VSCTL_RW },
    { "del-bond-iface", 1, 2, "[BOND] IFACE", cmd_del_bond_iface, NULL,
      "--if-exists", VSCTL_RW },
    { "del-port", 1, 2, "[BRIDGE] PORT|IFACE", cmd_del_port, NULL,
      "--if-exists,--with-iface", VSCTL_RW },
    { "port-to-br", 1, 1, "PORT", cmd_port_to_br, NULL, "", VSCTL_RO },
    { "list-ifaces", 1, 1, "BRIDGE", cmd_list_ifaces, NULL, "", VSCTL_RO },
    { "iface-to-br", 1, 1, "IFACE", cmd_iface_to_br, NULL, "", VSCTL_RO },
    { "get-controller", 1, 1, "BRIDGE", cmd_get_controller, NULL, "",
      VSCTL_RO },
    { "del-controller", 1, 1, "BRIDGE", cmd_del_controller, NULL, "",
      VSCTL_RW },
    { "set-controller", 1, -1, "BRIDGE TARGET...", cmd_set_controller, NULL,
      "", VSCTL_RW },
    { "get-fail-mode", 1, 1, "BRIDGE", cmd_get_fail_mode, NULL, "",
      VSCTL_RO },
    { "del-fail-mode", 1, 1, "BRIDGE", cmd_del_fail_mode, NULL, "",
      VSCTL_RW },
    { "set-fail-mode", 2, 2, "BRIDGE MODE", cmd_set_fail_mode, NULL, "",
      VSCTL_RW },
    { "get-manager", 0, 0, "", cmd_get_manager, NULL, "", VSCTL_RO },
    { "del-manager", 0, 0, "", cmd_del_manager, NULL, "", VSCTL_RW },
    { "set-manager", 0, -1, "TARGET...", cmd_set_manager, NULL, "",
      VSCTL_RW },
    { "get-ssl", 0, 0, "", cmd_get_ssl, NULL, "", VSCTL_RO },
    { "del-ssl", 0, 0, "", cmd_del_ssl, NULL, "", VSCTL_RW },
    { "set-ssl", 3, 3, "PRIVATE-KEY CERTIFICATE CA-CERT", cmd_set_ssl, NULL,
      "--bootstrap", VSCTL_RW },
    { NULL, 0, 0, NULL, NULL, NULL, NULL, VSCTL_RO },
};
