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

/* True once key, certificate and CA certificate are all set. */
bool stream_ssl_is_configured(void);

#endif /* stream-ssl.h */
