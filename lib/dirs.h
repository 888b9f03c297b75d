/* Directories vswitch uses.  Each comes from the environment when set
 * (VS_RUNDIR, VS_DBDIR, VS_LOGDIR, VS_PKGDATADIR), else from the compiled-in
 * default (configure's localstatedir and pkgdatadir).  Tests always set
 * them to private directories.  The returned strings are never NULL and stay
 * valid until the environment variable changes. */
#ifndef VS_DIRS_H
#define VS_DIRS_H 1

const char *vs_rundir(void);      /* Pidfiles, sockets: /var/run/vswitch. */
const char *vs_dbdir(void);       /* conf.db: /var/lib/vswitch. */
const char *vs_logdir(void);      /* Log files: /var/log/vswitch. */
const char *vs_pkgdatadir(void);  /* Schemas: /usr/local/share/vswitch. */

#endif /* dirs.h */
