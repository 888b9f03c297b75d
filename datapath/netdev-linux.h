/* Small Linux link helpers for the datapath ports: tap devices (the
 * switch's "internal" and "tap" port types) and link state. */
#ifndef NETDEV_LINUX_H
#define NETDEV_LINUX_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creates (or attaches to) persistent tap 'name' and brings it up.  With
 * 'keep_fd', returns an open queue fd in '*fdp' (the device then has
 * carrier); otherwise closes it and sets '*fdp' to -1. */
int netdev_tap_create(const char *name, bool keep_fd, int *fdp);
/* Deletes persistent tap 'name'. */
int netdev_tap_delete(const char *name);
/* Sets IFF_UP on 'name'. */
int netdev_set_up(const char *name);
/* Returns the driver name ("veth", "tun", ...) in 'buf'. */
int netdev_get_driver(const char *name, char *buf, size_t size);
int netdev_get_mac(const char *name, uint8_t mac[6]);
int netdev_get_mtu(const char *name, int *mtu);
int netdev_get_flags(const char *name, unsigned int *flags);

#endif /* netdev-linux.h */
