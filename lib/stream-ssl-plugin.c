/* The one exported symbol of vs-stream-ssl.so (see stream-ssl-plugin.h).
 * Everything else in the plugin is built with -fvisibility=hidden, so its
 * stream_ssl_*() functions never clash with the loader's in the program. */
#include <config.h>
#include "stream-ssl-plugin.h"

#include "stream-provider.h"
#include "stream-ssl.h"

__attribute__((visibility("default")))
const struct stream_ssl_plugin vs_stream_ssl_plugin = {
    .version = STREAM_SSL_PLUGIN_VERSION,
    .size = sizeof(struct stream_ssl_plugin),
    .stream_class = &ssl_stream_class,
    .pstream_class = &pssl_pstream_class,
    .set_private_key_file = stream_ssl_set_private_key_file,
    .set_certificate_file = stream_ssl_set_certificate_file,
    .set_ca_cert_file = stream_ssl_set_ca_cert_file,
    .set_ca_cert_bootstrap = stream_ssl_set_ca_cert_bootstrap,
    .is_bootstrapping = stream_ssl_is_bootstrapping,
    .is_configured = stream_ssl_is_configured,
    .get_last_error = stream_ssl_get_last_error,
    .follow_files = stream_ssl_follow_files,
};
