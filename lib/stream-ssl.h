/* TLS configuration for "ssl:IP:PORT" streams and "pssl:PORT[:IP]"
 * listeners (OpenSSL, TLS 1.2 or later, mutual authentication: each side
 * presents a certificate signed by the CA the other trusts).
 *
 * One configuration per process, as daemons take it from their command
 * line (--private-key, --certificate, --ca-cert) or the SSL table.  Opening
 * an ssl: or pssl: name before all three are set fails with ENOPROTOOPT. */
#ifndef VS_STREAM_SSL_H
#define VS_STREAM_SSL_H 1

#include <stdbool.h>

/* Each returns 0 or an errno value (ENOENT, EINVAL for a file OpenSSL
 * cannot use), logging OpenSSL's reason. */
int stream_ssl_set_private_key_file(const char *path);
int stream_ssl_set_certificate_file(const char *path);
int stream_ssl_set_ca_cert_file(const char *path);

/* Like stream_ssl_set_ca_cert_file(), but if 'path' does not exist yet,
 * the first "ssl:" connection takes the CA certificate at the top of the
 * server's chain (which must be self-signed), saves it as 'path', and is
 * then dropped; later connections are verified against it.  Listeners
 * ("pssl:") wait for a CA.  Trusting the first server is the point: use
 * it only where that first connection cannot be intercepted. */
int stream_ssl_set_ca_cert_bootstrap(const char *path);
bool stream_ssl_is_bootstrapping(void);

/* True once key, certificate and CA certificate are all set. */
bool stream_ssl_is_configured(void);

/* Why TLS stream 'name' ("ssl:IP:PORT") last failed, in words ("peer
 * certificate not trusted (unable to get local issuer certificate)"), or
 * NULL if it did not or has opened since. */
const char *stream_ssl_get_last_error(const char *name);

/* For daemons (stream-ssl-files.c): applies the named files, each NULL
 * argument leaving that part as it is, but loads a file again only when
 * its name, identity or modification time changed since the last call, so
 * it can be called on every main-loop pass and renewed certificates are
 * used by the next connection.  Errors are logged (once per change). */
void stream_ssl_follow_files(const char *key, const char *cert,
                             const char *ca, bool bootstrap);

#endif /* stream-ssl.h */
