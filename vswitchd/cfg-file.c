/* JSON file configuration source (see cfg-file.h). */
#include <config.h>
#include "vswitchd/cfg-file.h"
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/stat.h>
#include "dynamic-string.h"
#include "util.h"
#include "vswitchd/bridge.h"
#include "vswitchd/openflow-cfg.h"

static const char *
get_str(struct json_object *obj, const char *key)
{
    struct json_object *v;
    if (obj && json_object_object_get_ex(obj, key, &v)
        && json_object_is_type(v, json_type_string)) {
        return json_object_get_string(v);
    }
    return NULL;
}

static long long
get_num(struct json_object *obj, const char *key, long long dflt)
{
    const char *s = get_str(obj, key);
    struct json_object *v;
    long long n;
    if (s) {
        return str_to_llong(s, 10, &n) && n >= 0 ? n : dflt;
    }
    if (obj && json_object_object_get_ex(obj, key, &v)
        && json_object_is_type(v, json_type_int)) {
        return json_object_get_int64(v);
    }
    return dflt;
}

static char *
parse_port(const char *name, struct json_object *obj, struct vs_port_cfg *p)
{
    struct json_object *v;

    memset(p, 0, sizeof *p);
    p->name = xstrdup(name);
    p->tag = -1;
    if (!json_object_is_type(obj, json_type_object)) {
        return xasprintf("port %s: expected an object", name);
    }
    const char *type = get_str(obj, "type");
    p->type = xstrdup(type ? type : "");
    const char *mode = get_str(obj, "vlan_mode");
    p->vlan_mode = mode ? xstrdup(mode) : NULL;
    p->tag = get_num(obj, "tag", -1);
    if (p->tag > 4095) {
        return xasprintf("port %s: tag %d out of range", name, p->tag);
    }
    if (json_object_object_get_ex(obj, "trunks", &v)) {
        if (!json_object_is_type(v, json_type_array)) {
            return xasprintf("port %s: trunks must be an array", name);
        }
        size_t n = json_object_array_length(v);
        p->trunks = xcalloc(n ? n : 1, sizeof *p->trunks);
        for (size_t i = 0; i < n; i++) {
            int t = json_object_get_int(json_object_array_get_idx(v, i));
            if (t < 0 || t > 4095) {
                return xasprintf("port %s: trunk %d out of range", name, t);
            }
            p->trunks[p->n_trunks++] = t;
        }
    }
    if (json_object_object_get_ex(obj, "options", &v)
        && json_object_is_type(v, json_type_object)) {
        struct ds s = DS_EMPTY_INITIALIZER;
        json_object_object_foreach (v, key, val) {
            ds_put_format(&s, "%s%s=%s", s.length ? "," : "", key,
                          json_object_get_string(val));
        }
        p->options = s.length ? ds_steal_cstr(&s) : NULL;
        ds_destroy(&s);
    }
    return NULL;
}

/* One "controller" element: a target string, or an object with the
 * Controller columns. */
static char *
parse_controller(const char *br, struct json_object *obj,
                 struct vs_controller_cfg *c)
{
    memset(c, 0, sizeof *c);
    if (json_object_is_type(obj, json_type_string)) {
        c->target = xstrdup(json_object_get_string(obj));
        return NULL;
    }
    const char *target = get_str(obj, "target");
    if (!json_object_is_type(obj, json_type_object) || !target || !target[0]) {
        return xasprintf("bridge %s: a controller must be a target or an "
                         "object with \"target\"", br);
    }
    c->target = xstrdup(target);
    c->max_backoff_ms = get_num(obj, "max_backoff", 0);
    long long probe = get_num(obj, "inactivity_probe", -1);
    c->probe_interval_ms = probe < 0 ? 0 : probe == 0 ? -1
                           : probe < 1000 ? 1000 : probe;
    c->rate_limit = get_num(obj, "controller_rate_limit", 0);
    c->burst_limit = get_num(obj, "controller_burst_limit", 0);
    return NULL;
}

static char *
parse_flow_table(const char *br, const char *key, struct json_object *obj,
                 struct vs_flow_table_cfg *t)
{
    long long id;

    memset(t, 0, sizeof *t);
    if (!str_to_llong(key, 10, &id) || id < 0 || id > 254) {
        return xasprintf("bridge %s: flow table \"%s\" is not 0..254", br,
                         key);
    }
    if (!json_object_is_type(obj, json_type_object)) {
        return xasprintf("bridge %s: flow table %s: expected an object", br,
                         key);
    }
    const char *tname = get_str(obj, "name");
    const char *policy = get_str(obj, "overflow_policy");
    t->table_id = id;
    t->name = tname ? xstrdup(tname) : NULL;
    t->flow_limit = get_num(obj, "flow_limit", 0);
    if (policy && strcmp(policy, "refuse") && strcmp(policy, "evict")) {
        return xasprintf("bridge %s: flow table %s: overflow_policy must be "
                         "refuse or evict", br, key);
    }
    t->evict = policy && !strcmp(policy, "evict");
    return NULL;
}

/* The OpenFlow keys of a bridge object (names as in the database). */
static char *
parse_openflow(const char *name, struct json_object *obj,
               struct json_object *oc, struct vs_openflow_cfg *of)
{
    struct json_object *v;
    char *error;

    if (json_object_object_get_ex(obj, "controller", &v)) {
        if (!json_object_is_type(v, json_type_array)) {
            return xasprintf("bridge %s: controller must be an array", name);
        }
        size_t n = json_object_array_length(v);
        of->controllers = xcalloc(n ? n : 1, sizeof *of->controllers);
        for (size_t i = 0; i < n; i++) {
            error = parse_controller(name, json_object_array_get_idx(v, i),
                                     &of->controllers[of->n_controllers]);
            if (error) {
                return error;
            }
            of->n_controllers++;
        }
    }
    const char *fail_mode = get_str(obj, "fail_mode");
    if (fail_mode && strcmp(fail_mode, "standalone")
        && strcmp(fail_mode, "secure")) {
        return xasprintf("bridge %s: fail_mode must be standalone or "
                         "secure", name);
    }
    of->fail_secure = fail_mode && !strcmp(fail_mode, "secure");
    if (json_object_object_get_ex(obj, "protocols", &v)) {
        if (!json_object_is_type(v, json_type_array)) {
            return xasprintf("bridge %s: protocols must be an array", name);
        }
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            const char *p = json_object_get_string(
                json_object_array_get_idx(v, i));
            uint32_t bit = p ? vs_openflow_version_bit(p) : 0;
            if (!bit) {
                return xasprintf("bridge %s: unknown protocol \"%s\"", name,
                                 p ? p : "");
            }
            of->versions |= bit;
        }
    }
    const char *dpid = get_str(oc, "datapath-id");
    if (dpid && !vs_dpid_from_string(dpid, &of->datapath_id)) {
        return xasprintf("bridge %s: datapath-id \"%s\" is not 16 hex "
                         "digits", name, dpid);
    }
    const char *desc = get_str(oc, "dp-desc");
    of->dp_desc = desc ? xstrdup(desc) : NULL;
    if (json_object_object_get_ex(obj, "flow_tables", &v)) {
        if (!json_object_is_type(v, json_type_object)) {
            return xasprintf("bridge %s: flow_tables must be an object",
                             name);
        }
        of->tables = xcalloc(json_object_object_length(v) + 1,
                             sizeof *of->tables);
        json_object_object_foreach (v, key, tobj) {
            error = parse_flow_table(name, key, tobj,
                                     &of->tables[of->n_tables++]);
            if (error) {
                return error;
            }
        }
        vs_flow_tables_sort(of);
    }
    return NULL;
}

static char *
parse_bridge(const char *name, struct json_object *obj,
             struct vs_bridge_cfg *b)
{
    struct json_object *oc = NULL, *ports;

    memset(b, 0, sizeof *b);
    b->name = xstrdup(name);
    if (!json_object_is_type(obj, json_type_object)) {
        return xasprintf("bridge %s: expected an object", name);
    }
    const char *dpt = get_str(obj, "datapath_type");
    b->datapath_type = xstrdup(dpt ? dpt : "");
    json_object_object_get_ex(obj, "other_config", &oc);
    b->mac_aging = get_num(oc, "mac-aging-time", 0);
    b->mac_table_size = get_num(oc, "mac-table-size", 0);
    b->flow_idle_ms = get_num(oc, "flow-idle-ms", 0);
    b->flow_limit = get_num(oc, "flow-limit", 0);
    char *of_error = parse_openflow(name, obj, oc, &b->of);
    if (of_error) {
        return of_error;
    }
    if (json_object_object_get_ex(obj, "ports", &ports)) {
        if (!json_object_is_type(ports, json_type_object)) {
            return xasprintf("bridge %s: ports must be an object", name);
        }
        b->ports = xcalloc(json_object_object_length(ports) + 1,
                           sizeof *b->ports);
        json_object_object_foreach (ports, pname, pobj) {
            char *error = parse_port(pname, pobj, &b->ports[b->n_ports++]);
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

char *
cfg_file_read(const char *path, struct vs_cfg *cfg)
{
    struct json_object *root, *bridges;
    char *error = NULL;

    memset(cfg, 0, sizeof *cfg);
    root = json_object_from_file(path);
    if (!root) {
        return xasprintf("%s: cannot read or parse (%s)", path,
                         json_util_get_last_err());
    }
    if (json_object_object_get_ex(root, "bridges", &bridges)) {
        if (!json_object_is_type(bridges, json_type_object)) {
            error = xasprintf("%s: \"bridges\" must be an object", path);
            goto out;
        }
        cfg->bridges = xcalloc(json_object_object_length(bridges) + 1,
                               sizeof *cfg->bridges);
        json_object_object_foreach (bridges, name, obj) {
            error = parse_bridge(name, obj, &cfg->bridges[cfg->n_bridges++]);
            if (error) {
                goto out;
            }
        }
    }
out:
    json_object_put(root);
    if (error) {
        vs_cfg_destroy(cfg);
    }
    return error;
}

bool
cfg_file_changed(const char *path)
{
    static struct timespec last_mtime;
    static off_t last_size = -1;
    struct stat st;

    if (stat(path, &st)) {
        return false;
    }
    if (st.st_mtim.tv_sec != last_mtime.tv_sec
        || st.st_mtim.tv_nsec != last_mtime.tv_nsec
        || st.st_size != last_size) {
        last_mtime = st.st_mtim;
        last_size = st.st_size;
        return true;
    }
    return false;
}
