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
