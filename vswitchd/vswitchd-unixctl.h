/* vs-vswitchd's own unixctl commands. */
#ifndef VSWITCHD_UNIXCTL_H
#define VSWITCHD_UNIXCTL_H 1

void vswitchd_unixctl_register(void);

#endif /* vswitchd-unixctl.h */
