/* Linux link helpers (ioctl-based: tun/tap must be made through
 * /dev/net/tun anyway, and the rest are single ioctls). */
#include <config.h>
#include "datapath/netdev-linux.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include "util.h"

static int
af_inet_ioctl(unsigned long cmd, struct ifreq *ifr)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    int error = ioctl(fd, cmd, ifr) < 0 ? errno : 0;
    close(fd);
    return error;
}

static int
ifr_init(struct ifreq *ifr, const char *name)
{
    memset(ifr, 0, sizeof *ifr);
    if (strlen(name) >= IFNAMSIZ) {
        return ENAMETOOLONG;
    }
    strcpy(ifr->ifr_name, name);
    return 0;
}

static int
tap_open(const char *name, int *fdp)
{
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);
    if (error) {
        return error;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return errno;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

int
netdev_tap_create(const char *name, bool keep_fd, int *fdp)
{
    int fd, error;

    *fdp = -1;
    error = tap_open(name, &fd);
    if (error) {
        return error;
    }
    if (ioctl(fd, TUNSETPERSIST, 1) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    error = netdev_set_up(name);
    if (error || !keep_fd) {
        close(fd);
        fd = -1;
    }
    *fdp = fd;
    return error;
}

/* Deletes link 'name' with RTM_DELLINK (libnl-3). */
static int
link_delete(const char *name)
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
    return err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV ? ENODEV
           : err < 0 ? EIO : 0;
}

int
netdev_tap_delete(const char *name)
{
    /* Another process (vs-vswitchd, a VMM) may hold the tap open, so that
     * we cannot attach to clear its persistence: delete the link itself. */
    int error = link_delete(name);
    if (error == EIO) {
        int fd;
        error = tap_open(name, &fd);
        if (!error) {
            error = ioctl(fd, TUNSETPERSIST, 0) < 0 ? errno : 0;
            close(fd);
        }
    }
    return error;
}

int
netdev_get_flags(const char *name, unsigned int *flags)
{
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);
    if (!error) {
        error = af_inet_ioctl(SIOCGIFFLAGS, &ifr);
    }
    *flags = error ? 0 : (unsigned short) ifr.ifr_flags;
    return error;
}

int
netdev_set_up(const char *name)
{
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);
    if (!error) {
        error = af_inet_ioctl(SIOCGIFFLAGS, &ifr);
    }
    if (!error && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        error = af_inet_ioctl(SIOCSIFFLAGS, &ifr);
    }
    return error;
}

int
netdev_get_driver(const char *name, char *buf, size_t size)
{
    struct ethtool_drvinfo info;
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);

    memset(&info, 0, sizeof info);
    info.cmd = ETHTOOL_GDRVINFO;
    ifr.ifr_data = (void *) &info;
    if (!error) {
        error = af_inet_ioctl(SIOCETHTOOL, &ifr);
    }
    snprintf(buf, size, "%s", error ? "" : info.driver);
    return error;
}

int
netdev_get_mac(const char *name, uint8_t mac[6])
{
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);
    if (!error) {
        error = af_inet_ioctl(SIOCGIFHWADDR, &ifr);
    }
    memcpy(mac, error ? "\0\0\0\0\0\0" : ifr.ifr_hwaddr.sa_data, 6);
    return error;
}

int
netdev_get_mtu(const char *name, int *mtu)
{
    struct ifreq ifr;
    int error = ifr_init(&ifr, name);
    if (!error) {
        error = af_inet_ioctl(SIOCGIFMTU, &ifr);
    }
    *mtu = error ? 0 : ifr.ifr_mtu;
    return error;
}
