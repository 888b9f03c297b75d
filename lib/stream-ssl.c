/* "ssl:" streams and "pssl:" listeners: TLS over TCP with OpenSSL.
 *
 * A stream goes TCP connect -> TLS handshake -> open.  OpenSSL may need to
 * read while we want to write and vice versa (handshake, key updates), so
 * each direction remembers what the last call wanted and waits on that. */
#include <config.h>
#include "stream-ssl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "poll-loop.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_ssl);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 30);

static SSL_CTX *ctx;
static bool have_key, have_cert, have_ca;

/* CA file to create from the first server we connect to, while it does not
 * exist (see stream_ssl_set_ca_cert_bootstrap()); NULL otherwise. */
static char *bootstrap_ca_file;

/* Why the last TLS stream failed, for status reports ("ssl:IP:PORT" names
 * are stable across reconnections).  Cleared when that stream opens. */
static char *last_error_name, *last_error_text;

static void
set_last_error(const char *name, char *text /* takes ownership */)
{
    free(last_error_name);
    free(last_error_text);
    last_error_name = xstrdup(name);
    last_error_text = text;
}

const char *
stream_ssl_get_last_error(const char *name)
{
    return (last_error_name && !strcmp(name, last_error_name)
            ? last_error_text : NULL);
}

enum ssl_state {
    SSL_TCP_CONNECTING,
    SSL_HANDSHAKING,
    SSL_OPEN,
};

struct ssl_stream {
    struct stream up;
    int fd;
    SSL *ssl;
    enum ssl_state state;
    bool is_client;
    bool bootstrap;             /* Client that will save the peer's CA. */
    short rx_want, tx_want, hs_want;    /* POLLIN or POLLOUT. */
};

struct ssl_pstream {
    struct pstream up;
    int fd;
};

/* Appends OpenSSL's queued error reasons to 'what' in a log message. */
static void
log_ssl_errors(const char *name, const char *what)
{
    char buf[256] = "unknown error";
    unsigned long e = ERR_get_error();
    if (e) {
        ERR_error_string_n(e, buf, sizeof buf);
    }
    VLOG_WARN_RL(&rl, "%s: %s: %s", name, what, buf);
    set_last_error(name, xasprintf("%s: %s", what, buf));
    ERR_clear_error();
}

static SSL_CTX *
get_ctx(void)
{
    if (!ctx) {
        /* OpenSSL writes to the socket with write(), not send() with
         * MSG_NOSIGNAL: a peer that vanished would kill us with SIGPIPE.
         * Ignore it unless the program installed its own handler. */
        struct sigaction old;
        if (!sigaction(SIGPIPE, NULL, &old) && old.sa_handler == SIG_DFL) {
            signal(SIGPIPE, SIG_IGN);
        }
        OPENSSL_init_ssl(0, NULL);
        ctx = SSL_CTX_new(TLS_method());
        if (!ctx) {
            vs_fatal(0, "SSL_CTX_new failed");
        }
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE
                              | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        /* A peer closing TCP without close_notify is end of stream. */
        SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER
                                | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    return ctx;
}

static int
file_error(const char *path, const char *what)
{
    if (access(path, R_OK) < 0) {
        int error = errno;
        VLOG_ERR("%s: cannot read %s: %s", path, what, vs_strerror(error));
        return error;
    }
    log_ssl_errors(path, what);
    return EINVAL;
}

/* The key and certificate must match, and OpenSSL checks that as soon as
 * both are loaded, so changing identity (new key, then new certificate)
 * would fail halfway.  Keep the parsed key and load the pair together. */
static EVP_PKEY *private_key;
static char *cert_file;

static int
load_key_and_cert(void)
{
    if (!private_key || !cert_file) {
        return 0;
    }
    if (SSL_CTX_use_certificate_chain_file(get_ctx(), cert_file) != 1) {
        return file_error(cert_file, "certificate");
    }
    if (SSL_CTX_use_PrivateKey(ctx, private_key) != 1) {
        /* Maybe the other half of the pair is about to change; opening a
         * stream reports it if not. */
        ERR_clear_error();
        return 0;
    }
    have_key = have_cert = true;
    return 0;
}

int
stream_ssl_set_private_key_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int error = errno;
        VLOG_ERR("%s: cannot read private key: %s", path, vs_strerror(error));
        return error;
    }
    get_ctx();
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!key) {
        log_ssl_errors(path, "private key");
        return EINVAL;
    }
    EVP_PKEY_free(private_key);
    private_key = key;
    have_key = false;
    return load_key_and_cert();
}

int
stream_ssl_set_certificate_file(const char *path)
{
    if (access(path, R_OK) < 0) {
        return file_error(path, "certificate");
    }
    free(cert_file);
    cert_file = xstrdup(path);
    have_cert = false;
    if (!private_key) {
        /* Check the file now; it is loaded again with the key. */
        if (SSL_CTX_use_certificate_chain_file(get_ctx(), path) != 1) {
            return file_error(path, "certificate");
        }
        return 0;
    }
    return load_key_and_cert();
}

int
stream_ssl_set_ca_cert_file(const char *path)
{
    /* Asked for a CA file, not a bootstrap: stop bootstrapping even if
     * 'path' cannot be used. */
    free(bootstrap_ca_file);
    bootstrap_ca_file = NULL;
    if (access(path, R_OK) < 0) {
        return file_error(path, "CA certificate");
    }
    /* A new store, so that the previous CA is no longer trusted. */
    get_ctx();
    X509_STORE *store = X509_STORE_new();
    if (!store || X509_STORE_load_file(store, path) != 1) {
        X509_STORE_free(store);
        return file_error(path, "CA certificate");
    }
    SSL_CTX_set_cert_store(ctx, store);

    /* Servers tell clients which CA they accept. */
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(path);
    if (names) {
        SSL_CTX_set_client_CA_list(ctx, names);
    }
    ERR_clear_error();
    have_ca = true;
    return 0;
}

int
stream_ssl_set_ca_cert_bootstrap(const char *path)
{
    if (!access(path, F_OK)) {
        return stream_ssl_set_ca_cert_file(path);
    }
    get_ctx();
    /* Trust nothing from an earlier CA while bootstrapping. */
    SSL_CTX_set_cert_store(ctx, X509_STORE_new());
    have_ca = false;
    free(bootstrap_ca_file);
    bootstrap_ca_file = xstrdup(path);
    return 0;
}

bool
stream_ssl_is_bootstrapping(void)
{
    return bootstrap_ca_file != NULL;
}

bool
stream_ssl_is_configured(void)
{
    return have_key && have_cert && have_ca;
}

/* Client streams may open while the CA is being bootstrapped; listeners
 * need a CA to check their clients against. */
static int
check_configured(const char *name, bool is_client)
{
    if (is_client && have_key && have_cert && !have_ca && bootstrap_ca_file) {
        return 0;
    }
    if (private_key && cert_file && have_ca && !have_key) {
        VLOG_WARN_RL(&rl, "%s: SSL private key does not match certificate %s",
                     name, cert_file);
        return EINVAL;
    }
    if (!stream_ssl_is_configured()) {
        if (bootstrap_ca_file && have_key && have_cert) {
            VLOG_WARN_RL(&rl, "%s: no CA certificate yet (%s is bootstrapped "
                         "by the first ssl: connection)", name,
                         bootstrap_ca_file);
            return ENOPROTOOPT;
        }
        VLOG_WARN_RL(&rl, "%s: SSL needs a private key, a certificate and a "
                     "CA certificate (-p, -c, -C; --private-key, "
                     "--certificate, --ca-cert; or the SSL table)", name);
        return ENOPROTOOPT;
    }
    return 0;
}

static struct ssl_stream *
ssl_stream_cast(struct stream *stream)
{
    return CONTAINER_OF(stream, struct ssl_stream, up);
}

/* Makes a stream over TCP socket 'fd' (taken).  Returns 0 or an errno. */
static int
new_ssl_stream(char *name, int fd, bool is_client, int tcp_status,
               struct stream **streamp)
{
    SSL *ssl = SSL_new(ctx);
    if (!ssl || SSL_set_fd(ssl, fd) != 1) {
        log_ssl_errors(name, "SSL_new");
        SSL_free(ssl);
        close(fd);
        free(name);
        return ENOPROTOOPT;
    }
    bool bootstrap = is_client && !have_ca && bootstrap_ca_file;
    if (bootstrap) {
        /* Nothing to verify against yet: the peer's chain is checked for a
         * self-signed CA after the handshake, saved, and then trusted by
         * the next connection. */
        SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    }
    if (is_client) {
        SSL_set_connect_state(ssl);
    } else {
        SSL_set_accept_state(ssl);
    }

    struct ssl_stream *s = xzalloc(sizeof *s);
    /* Connected once the handshake is over, so always "connecting" here. */
    stream_init(&s->up, &ssl_stream_class, EAGAIN, name);
    s->fd = fd;
    s->ssl = ssl;
    s->is_client = is_client;
    s->bootstrap = bootstrap;
    s->state = tcp_status == EAGAIN ? SSL_TCP_CONNECTING : SSL_HANDSHAKING;
    s->hs_want = POLLOUT;
    *streamp = &s->up;
    return 0;
}

static int
ssl_open(const char *name, const char *suffix, struct stream **streamp)
{
    int error = check_configured(name, true);
    if (error) {
        return error;
    }
    int fd;
    error = inet_open_active(suffix, &fd);
    if (error && error != EAGAIN) {
        return error;
    }
    return new_ssl_stream(xstrdup(name), fd, true, error, streamp);
}

static void
ssl_close(struct stream *stream)
{
    struct ssl_stream *s = ssl_stream_cast(stream);
    if (s->state == SSL_OPEN) {
        SSL_shutdown(s->ssl);   /* Best effort: sends close_notify. */
    }
    SSL_free(s->ssl);
    ERR_clear_error();
    close(s->fd);
    free(s);
}

/* Interprets a failed SSL call.  Returns EAGAIN (and what to wait for in
 * '*want'), EOF for end of stream, or an errno value. */
static int
interpret_error(struct ssl_stream *s, int ret, const char *what, short *want)
{
    int e = SSL_get_error(s->ssl, ret);
    switch (e) {
    case SSL_ERROR_WANT_READ:
        *want = POLLIN;
        return EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        *want = POLLOUT;
        return EAGAIN;
    case SSL_ERROR_ZERO_RETURN:
        return EOF;
    case SSL_ERROR_SYSCALL: {
        int error = errno;
        if (!ERR_peek_error() && (ret == 0 || !error)) {
            ERR_clear_error();
            return EOF;
        }
        VLOG_WARN_RL(&rl, "%s: %s: %s", s->up.name, what,
                     vs_strerror(error ? error : EPROTO));
        ERR_clear_error();
        return error ? error : EPROTO;
    }
    default: {
        long verify = SSL_get_verify_result(s->ssl);
        if (verify != X509_V_OK) {
            const char *why = X509_verify_cert_error_string(verify);
            VLOG_WARN_RL(&rl, "%s: %s: peer certificate not trusted (%s)",
                         s->up.name, what, why);
            set_last_error(s->up.name,
                           xasprintf("peer certificate not trusted (%s)", why));
            ERR_clear_error();
        } else {
            log_ssl_errors(s->up.name, what);
        }
        return EPROTO;
    }
    }
}

/* Saves the CA certificate at the top of the server's chain as the CA
 * file and trusts it from now on.  The handshake that brought it was not
 * verified, so the connection is dropped either way (EPROTO) and the next
 * one is verified against the saved CA. */
static int
bootstrap_ca_cert(struct ssl_stream *s)
{
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(s->ssl);
    int n = chain ? sk_X509_num(chain) : 0;
    X509 *ca = n ? sk_X509_value(chain, n - 1) : NULL;
    char *path = bootstrap_ca_file ? xstrdup(bootstrap_ca_file) : NULL;

    if (!path) {
        return EPROTO;          /* Someone else bootstrapped meanwhile. */
    }
    if (!ca || X509_check_issued(ca, ca) != X509_V_OK) {
        VLOG_ERR_RL(&rl, "%s: cannot bootstrap the CA certificate: the peer "
                    "did not send a self-signed CA certificate in its chain",
                    s->up.name);
        set_last_error(s->up.name, xstrdup("CA bootstrap: the peer sent no "
                                           "self-signed CA certificate"));
        free(path);
        return EPROTO;
    }
    /* O_EXCL: never replace a CA file that appeared in the meantime. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool saved = f && PEM_write_X509(f, ca) && !fflush(f);
    int error = saved ? 0 : errno ? errno : EIO;
    if (f) {
        fclose(f);
    } else if (fd >= 0) {
        close(fd);
    }
    ERR_clear_error();
    if (saved) {
        char name[256];
        X509_NAME_oneline(X509_get_subject_name(ca), name, sizeof name);
        VLOG_INFO("%s: bootstrapped CA certificate %s from %s", path, name,
                  s->up.name);
    } else if (fd >= 0 || error != EEXIST) {
        /* Keep bootstrapping: the next connection tries again. */
        if (fd >= 0) {
            unlink(path);
        }
        VLOG_ERR_RL(&rl, "%s: cannot write bootstrapped CA certificate: %s",
                    path, vs_strerror(error));
        set_last_error(s->up.name, xasprintf("CA bootstrap: cannot write %s "
                                             "(%s)", path,
                                             vs_strerror(error)));
        free(path);
        return EPROTO;
    }
    /* Saved now, or by someone else meanwhile: trust that file. */
    stream_ssl_set_ca_cert_file(path);
    set_last_error(s->up.name, xstrdup("CA certificate bootstrapped; "
                                       "reconnecting to verify the peer"));
    free(path);
    return EPROTO;
}

static int
ssl_connect(struct stream *stream)
{
    struct ssl_stream *s = ssl_stream_cast(stream);

    if (s->state == SSL_TCP_CONNECTING) {
        int error = check_connection_completion(s->fd);
        if (error) {
            return error;
        }
        s->state = SSL_HANDSHAKING;
    }
    if (s->state == SSL_HANDSHAKING) {
        ERR_clear_error();
        int ret = s->is_client ? SSL_connect(s->ssl) : SSL_accept(s->ssl);
        if (ret != 1) {
            int error = interpret_error(s, ret, "TLS handshake", &s->hs_want);
            return error == EOF ? ECONNRESET : error;
        }
        if (s->bootstrap) {
            return bootstrap_ca_cert(s);
        }
        s->state = SSL_OPEN;
        if (stream_ssl_get_last_error(s->up.name)) {
            set_last_error(s->up.name, NULL);
        }
    }
    return 0;
}

static ssize_t
ssl_recv(struct stream *stream, void *buffer, size_t n)
{
    struct ssl_stream *s = ssl_stream_cast(stream);
    int len = n > INT_MAX ? INT_MAX : n;

    ERR_clear_error();
    int ret = SSL_read(s->ssl, buffer, len);
    if (ret > 0) {
        return ret;
    }
    int error = interpret_error(s, ret, "receive", &s->rx_want);
    return error == EOF ? 0 : -error;
}

static ssize_t
ssl_send(struct stream *stream, const void *buffer, size_t n)
{
    struct ssl_stream *s = ssl_stream_cast(stream);
    int len = n > INT_MAX ? INT_MAX : n;

    ERR_clear_error();
    int ret = SSL_write(s->ssl, buffer, len);
    if (ret > 0) {
        s->tx_want = 0;
        return ret;
    }
    int error = interpret_error(s, ret, "send", &s->tx_want);
    return -(error == EOF ? EPIPE : error);
}

static void
ssl_wait(struct stream *stream, enum stream_wait_type type)
{
    struct ssl_stream *s = ssl_stream_cast(stream);

    switch (type) {
    case STREAM_CONNECT:
        if (s->state == SSL_TCP_CONNECTING) {
            poll_fd_wait(s->fd, POLLOUT);
        } else if (s->state == SSL_HANDSHAKING) {
            poll_fd_wait(s->fd, s->hs_want);
        } else {
            poll_immediate_wake();
        }
        break;
    case STREAM_RECV:
        if (SSL_pending(s->ssl)) {
            poll_immediate_wake();      /* Decrypted bytes already here. */
        } else {
            poll_fd_wait(s->fd, s->rx_want == POLLOUT ? POLLOUT : POLLIN);
        }
        break;
    case STREAM_SEND:
        poll_fd_wait(s->fd, s->tx_want == POLLIN ? POLLIN : POLLOUT);
        break;
    }
}

const struct stream_class ssl_stream_class = {
    .prefix = "ssl",
    .needs_probes = true,
    .open = ssl_open,
    .close = ssl_close,
    .connect = ssl_connect,
    .recv = ssl_recv,
    .send = ssl_send,
    .wait = ssl_wait,
};

static struct ssl_pstream *
ssl_pstream_cast(struct pstream *pstream)
{
    return CONTAINER_OF(pstream, struct ssl_pstream, up);
}

static int
pssl_listen(const char *name, const char *suffix, struct pstream **pstreamp)
{
    int error = check_configured(name, false);
    if (error) {
        return error;
    }
    uint16_t port;
    int fd;
    error = inet_open_passive(suffix, &fd, &port);
    if (error) {
        return error;
    }
    struct ssl_pstream *ps = xzalloc(sizeof *ps);
    pstream_init(&ps->up, &pssl_pstream_class, xstrdup(name));
    ps->up.bound_port = port;
    ps->fd = fd;
    *pstreamp = &ps->up;
    return 0;
}

static void
pssl_close(struct pstream *pstream)
{
    struct ssl_pstream *ps = ssl_pstream_cast(pstream);
    close(ps->fd);
    free(ps);
}

static int
pssl_accept(struct pstream *pstream, struct stream **streamp)
{
    struct ssl_pstream *ps = ssl_pstream_cast(pstream);
    struct sockaddr_storage ss;
    socklen_t len;
    int fd;

    *streamp = NULL;
    int error = accept_nonblocking(ps->fd, &ss, &len, &fd);
    if (error) {
        return error;
    }
    char *addr = ss_format(&ss);
    char *name = xasprintf("ssl:%s", addr);
    free(addr);
    /* The handshake happens in stream_connect(), driven by the caller's
     * first recv/send, so a slow client cannot stall accept. */
    return new_ssl_stream(name, fd, false, 0, streamp);
}

static void
pssl_wait(struct pstream *pstream)
{
    poll_fd_wait(ssl_pstream_cast(pstream)->fd, POLLIN);
}

const struct pstream_class pssl_pstream_class = {
    .prefix = "pssl",
    .listen = pssl_listen,
    .close = pssl_close,
    .accept = pssl_accept,
    .wait = pssl_wait,
};
