/* Tunnel ports: options, shared flow-based netdevs, userspace send (see
 * tunnel.h). */
#include <config.h>
#include "datapath/tunnel.h"
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/link/geneve.h>
#include "datapath/bpf/dp-key.h"
#include "datapath/netdev-linux.h"
#include "util.h"

/* Big enough that the netdev never fragments what the switch sends into it
 * (as Open vSwitch sizes its own tunnel netdevs); the underlay's MTU still
 * applies to the outer packet. */
#define TUNNEL_NETDEV_MTU 65000

uint32_t
tunnel_type_from_name(const char *type)
{
    return !type ? 0
           : !strcmp(type, "vxlan") ? DP_PORT_TYPE_VXLAN
           : !strcmp(type, "geneve") ? DP_PORT_TYPE_GENEVE : 0;
}

const char *
tunnel_type_name(uint32_t dp_type)
{
    return dp_type == DP_PORT_TYPE_VXLAN ? "vxlan"
           : dp_type == DP_PORT_TYPE_GENEVE ? "geneve" : NULL;
}

static int
parse_ipv4(const char *s, vs_be32 *ip)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1) {
        return EINVAL;
    }
    *ip = a.s_addr;
    return 0;
}

static int
parse_uint(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (!s[0] || s[0] == '-' || s[0] == '+') {
        return EINVAL;
    }
    errno = 0;
    *v = strtoul(s, &end, 0);
    return errno || *end || *v > max ? EINVAL : 0;
}

/* One "key=value" of a tunnel's options; sets '*errp' on error. */
static int
parse_option(struct tunnel_cfg *c, const char *k, const char *v,
             bool *have_remote, char **errp)
{
    unsigned long n;

    if (!strcmp(k, "remote_ip")) {
        *have_remote = true;
        if (!strcmp(v, "flow")) {
            c->flags |= DP_TUN_REMOTE_FLOW;
            c->remote = 0;
        } else if (parse_ipv4(v, &c->remote) || !c->remote) {
            *errp = xasprintf("bad remote_ip \"%s\" (want an IPv4 address "
                              "or \"flow\")", v);
        }
    } else if (!strcmp(k, "local_ip")) {
        if (parse_ipv4(v, &c->local)) {
            *errp = xasprintf("bad local_ip \"%s\" (want an IPv4 address)",
                              v);
        }
    } else if (!strcmp(k, "key")) {
        if (!strcmp(v, "flow")) {
            c->flags |= DP_TUN_KEY_FLOW;
            c->key = 0;
        } else if (parse_uint(v, TUNNEL_MAX_KEY, &n)) {
            *errp = xasprintf("bad key \"%s\" (want 0..%u or \"flow\")", v,
                              TUNNEL_MAX_KEY);
        } else {
            c->key = n;
        }
    } else if (!strcmp(k, "dst_port")) {
        if (parse_uint(v, 65535, &n) || !n) {
            *errp = xasprintf("bad dst_port \"%s\" (want 1..65535)", v);
        } else {
            c->udp_port = n;
        }
    } else if (strncmp(k, "xdp-", 4)) {
        *errp = xasprintf("unsupported tunnel option \"%s\"", k);
    }
    return *errp ? EINVAL : 0;
}

int
tunnel_cfg_parse(const char *type, const char *options,
                 struct tunnel_cfg *c, char **errp)
{
    bool have_remote = false;

    memset(c, 0, sizeof *c);
    *errp = NULL;
    c->type = tunnel_type_from_name(type);
    if (!c->type) {
        *errp = xasprintf("\"%s\" is not a tunnel type", type ? type : "");
        return EINVAL;
    }
    c->udp_port = c->type == DP_PORT_TYPE_VXLAN ? TUNNEL_VXLAN_PORT
                                                : TUNNEL_GENEVE_PORT;
    char *copy = xstrdup(options ? options : "");
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && !*errp;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            *errp = xasprintf("option \"%s\" has no value", tok);
            break;
        }
        *eq = '\0';
        parse_option(c, tok, eq + 1, &have_remote, errp);
    }
    free(copy);
    if (!*errp && !have_remote) {
        *errp = xasprintf("%s port needs options:remote_ip", type);
    }
    return *errp ? EINVAL : 0;
}

void
tunnel_netdev_name(const struct tunnel_cfg *c, char name[16])
{
    snprintf(name, 16, "vs_%s_%u", tunnel_type_name(c->type), c->udp_port);
}

static int
nl_err(int err)
{
    return err == -NLE_EXIST ? EEXIST : err == -NLE_PERM ? EPERM
           : err == -NLE_OPNOTSUPP ? EOPNOTSUPP : err < 0 ? EIO : 0;
}

int
tunnel_netdev_ensure(const struct tunnel_cfg *c, int *ifindex, bool *created)
{
    char name[16];
    tunnel_netdev_name(c, name);
    *created = false;
    if (!if_nametoindex(name)) {
        bool vxlan = c->type == DP_PORT_TYPE_VXLAN;
        struct nl_sock *sk = nl_socket_alloc();
        struct rtnl_link *link = vxlan ? rtnl_link_vxlan_alloc()
                                       : rtnl_link_geneve_alloc();
        int err = -NLE_NOMEM;
        if (sk && link && !(err = nl_connect(sk, NETLINK_ROUTE))) {
            rtnl_link_set_name(link, name);
            rtnl_link_set_mtu(link, TUNNEL_NETDEV_MTU);
            if (vxlan) {
                /* VNI, remote and source come from each packet. */
                rtnl_link_vxlan_set_collect_metadata(link, 1);
                rtnl_link_vxlan_set_port(link, c->udp_port);
                rtnl_link_vxlan_set_learning(link, 0);
            } else {
                rtnl_link_geneve_set_flags(
                    link, RTNL_LINK_GENEVE_F_COLLECT_METADATA, 1);
                rtnl_link_geneve_set_port(link, c->udp_port);
            }
            err = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
        }
        rtnl_link_put(link);
        nl_socket_free(sk);
        if (err < 0 && err != -NLE_EXIST) {
            return nl_err(err);
        }
        *created = !err;
    }
    int error = netdev_set_up(name);
    if (error) {
        return error;
    }
    *ifindex = if_nametoindex(name);
    return *ifindex ? 0 : ENODEV;
}

int
tunnel_netdev_delete(const char *name)
{
    struct nl_sock *sk = nl_socket_alloc();
    struct rtnl_link *link = rtnl_link_alloc();
    int err = -NLE_NOMEM;

    if (sk && link && !(err = nl_connect(sk, NETLINK_ROUTE))) {
        rtnl_link_set_name(link, name);
        err = rtnl_link_delete(sk, link);
    }
    rtnl_link_put(link);
    nl_socket_free(sk);
    return nl_err(err);
}

size_t
tunnel_encap(const struct tunnel_cfg *c, uint32_t key, const void *frame,
             size_t len, uint8_t *buf, size_t size)
{
    if (len + 8 > size) {
        return 0;
    }
    memset(buf, 0, 8);
    if (c->type == DP_PORT_TYPE_VXLAN) {
        buf[0] = 0x08;                  /* RFC 7348: VNI present. */
    } else {
        buf[2] = 0x65;                  /* RFC 8926: no options, protocol */
        buf[3] = 0x58;                  /* Transparent Ethernet Bridging. */
    }
    buf[4] = key >> 16;
    buf[5] = key >> 8;
    buf[6] = key;
    memcpy(buf + 8, frame, len);
    return len + 8;
}

static int
udp_socket(vs_be32 local, int *fdp)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    int ttl = DP_TUN_TTL;
    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    if (local) {
        struct sockaddr_in src = { .sin_family = AF_INET,
                                   .sin_addr.s_addr = local };
        if (bind(fd, (struct sockaddr *) &src, sizeof src) < 0) {
            int error = errno;
            close(fd);
            return error;
        }
    }
    *fdp = fd;
    return 0;
}

int
tunnel_send(const struct tunnel_cfg *c, uint32_t key, vs_be32 dst,
            const void *frame, size_t len, int *sockp)
{
    int fd = -1, error = 0;

    if (!dst) {
        return EINVAL;
    }
    if (c->local) {
        error = udp_socket(c->local, &fd);
    } else if (*sockp < 0) {
        error = udp_socket(0, sockp);
    }
    if (error) {
        return error;
    }
    uint8_t *buf = xmalloc(len + 8);
    size_t n = tunnel_encap(c, key, frame, len, buf, len + 8);
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(c->udp_port),
                               .sin_addr.s_addr = dst };
    if (sendto(c->local ? fd : *sockp, buf, n, 0, (struct sockaddr *) &sin,
               sizeof sin) < 0) {
        error = errno;
    }
    if (fd >= 0) {
        close(fd);
    }
    free(buf);
    return error;
}
