/* Unit tests for lib/stream-ssl: TLS over loopback TCP with certificates
 * made by the openssl command at startup. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

static char tmpdir[] = "/tmp/test-stream-ssl.XXXXXX";

static char *
file(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

/* Makes CA "ca" and "other-ca", and "peer" (signed by ca) and "rogue"
 * (signed by other-ca) key/certificate pairs.  Returns false if openssl
 * fails. */
static bool
make_certs(void)
{
    char *cmd = xasprintf(
        "set -e; cd '%s'; "
        "for ca in ca other-ca; do "
        "  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
        "    -nodes -keyout $ca.key -out $ca.pem -days 2 -subj /CN=$ca; "
        "done; "
        "for p in peer:ca rogue:other-ca; do "
        "  n=${p%%:*} ca=${p#*:}; "
        "  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
        "    -nodes -keyout $n.key -out $n.csr -subj /CN=$n; "
        "  openssl x509 -req -in $n.csr -CA $ca.pem -CAkey $ca.key"
        "    -CAcreateserial -out $n.pem -days 2; "
        "done; "
        "cat peer.pem ca.pem > peer-chain.pem", tmpdir);
    char *quiet = xasprintf("(%s) >/dev/null 2>&1", cmd);
    int status = system(quiet);
    free(cmd);
    free(quiet);
    return status == 0;
}

static void
configure(const char *who, const char *ca)
{
    char *key = xasprintf("%s/%s.key", tmpdir, who);
    char *cert = xasprintf("%s/%s.pem", tmpdir, who);
    char *cacert = xasprintf("%s/%s.pem", tmpdir, ca);
    ck_assert_int_eq(stream_ssl_set_private_key_file(key), 0);
    ck_assert_int_eq(stream_ssl_set_certificate_file(cert), 0);
    ck_assert_int_eq(stream_ssl_set_ca_cert_file(cacert), 0);
    ck_assert(stream_ssl_is_configured());
    free(key);
    free(cert);
    free(cacert);
}

/* Drives 'server' (a session over an accepted stream, or NULL) and
 * 'listener' while 'client' transacts; answers requests with their
 * params.  Returns the reply's result or NULL. */
struct server {
    struct pstream *listener;
    struct jsonrpc_session *conn;
};

static void
server_run(struct server *srv)
{
    struct stream *stream;
    if (!srv->conn && !pstream_accept(srv->listener, &stream)) {
        srv->conn = jsonrpc_session_open_accepted(stream);
    }
    if (srv->conn) {
        jsonrpc_session_run(srv->conn);
        struct jsonrpc_msg *msg = jsonrpc_session_recv(srv->conn);
        if (msg && msg->type == JSONRPC_REQUEST) {
            jsonrpc_session_send(srv->conn, jsonrpc_create_reply(
                                     json_object_get(msg->params), msg->id));
        }
        jsonrpc_msg_destroy(msg);
        if (!jsonrpc_session_is_alive(srv->conn)) {
            jsonrpc_session_close(srv->conn);
            srv->conn = NULL;
        }
    }
}

static void
server_wait(struct server *srv)
{
    pstream_wait(srv->listener);
    if (srv->conn) {
        jsonrpc_session_wait(srv->conn);
        jsonrpc_session_recv_wait(srv->conn);
    }
}

START_TEST(test_ssl_jsonrpc_roundtrip)
{
    configure("peer", "ca");
    struct server srv = { NULL, NULL };
    ck_assert_int_eq(pstream_open("pssl:0:127.0.0.1", &srv.listener), 0);
    char *name = xasprintf("ssl:127.0.0.1:%u",
                           pstream_get_bound_port(srv.listener));

    struct jsonrpc_session *client = jsonrpc_session_open(name, false);
    size_t n = 300 * 1000;      /* Many TLS records. */
    char *big = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        big[i] = 'a' + i % 26;
    }
    big[n] = '\0';

    bool sent = false;
    struct jsonrpc_msg *reply = NULL;
    long long deadline = time_msec() + 10000;
    while (!reply && time_msec() < deadline) {
        jsonrpc_session_run(client);
        if (!sent && jsonrpc_session_is_connected(client)) {
            jsonrpc_session_send(client, jsonrpc_create_request(
                                     "echo-back", json_array_build(
                                         1, json_object_new_string(big)),
                                     NULL));
            sent = true;
        }
        reply = jsonrpc_session_recv(client);
        if (reply) {
            break;
        }
        server_run(&srv);
        jsonrpc_session_wait(client);
        jsonrpc_session_recv_wait(client);
        server_wait(&srv);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    ck_assert_ptr_nonnull(reply);
    ck_assert_int_eq(reply->type, JSONRPC_REPLY);
    ck_assert_str_eq(json_object_get_string(
                         json_object_array_get_idx(reply->result, 0)), big);
    ck_assert_uint_eq(jsonrpc_session_get_seqno(client), 1);
    jsonrpc_msg_destroy(reply);

    /* The server side sees a clean end when the client goes. */
    jsonrpc_session_close(client);
    deadline = time_msec() + 5000;
    while (srv.conn && time_msec() < deadline) {
        server_run(&srv);
        if (srv.conn) {
            server_wait(&srv);
            poll_timer_wait_until(deadline);
            poll_block();
        }
    }
    ck_assert_ptr_null(srv.conn);
    pstream_close(srv.listener);
    free(big);
    free(name);
}
END_TEST

/* Connects to 'port' as a client, returns the final stream_connect()
 * status. */
static int
connect_status(uint16_t port)
{
    char *name = xasprintf("ssl:127.0.0.1:%u", port);
    struct stream *s;
    int error = stream_open_block(name, 5000, &s);
    stream_close(s);
    free(name);
    return error;
}

/* Connects to 'port' and waits (up to 5 s) for the server to refuse the
 * connection: with TLS 1.3 a client finishes its handshake before the
 * server has checked the client's certificate.  Returns the error, or 0
 * if the connection stayed up. */
static int
refused_status(uint16_t port)
{
    char *name = xasprintf("ssl:127.0.0.1:%u", port);
    struct stream *s;
    int error = stream_open_block(name, 5000, &s);
    long long deadline = time_msec() + 5000;
    while (!error && time_msec() < deadline) {
        char c;
        ssize_t n = stream_recv(s, &c, 1);
        if (n != -EAGAIN) {
            error = n < 0 ? -n : EPROTO;
            break;
        }
        stream_recv_wait(s);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    stream_close(s);
    free(name);
    return error;
}

/* The server (this process) trusts "ca"; a forked client with 'who'
 * certificate trusting 'ca' tries to connect.  Returns the client's
 * status and whether the server completed a handshake. */
static int
try_client(const char *who, const char *ca, bool *server_ok)
{
    configure("peer", "ca");
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("pssl:0:127.0.0.1", &ps), 0);
    uint16_t port = pstream_get_bound_port(ps);

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        char *key = xasprintf("%s/%s.key", tmpdir, who);
        char *cert = xasprintf("%s/%s.pem", tmpdir, who);
        char *cacert = xasprintf("%s/%s.pem", tmpdir, ca);
        if (stream_ssl_set_private_key_file(key)
            || stream_ssl_set_certificate_file(cert)
            || stream_ssl_set_ca_cert_file(cacert)) {
            _exit(100);
        }
        _exit(connect_status(port));
    }

    /* Accept and handshake (bounded). */
    struct stream *s = NULL;
    int error = EAGAIN;
    long long deadline = time_msec() + 5000;
    while (error == EAGAIN && time_msec() < deadline) {
        if (!s && pstream_accept(ps, &s)) {
            s = NULL;
        }
        if (s) {
            error = stream_connect(s);
        }
        if (error == EAGAIN) {
            if (s) {
                stream_connect_wait(s);
            } else {
                pstream_wait(ps);
            }
            poll_timer_wait_until(deadline);
            poll_block();
        }
    }
    *server_ok = !error;
    stream_close(s);
    pstream_close(ps);

    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_ne(WEXITSTATUS(status), 100);  /* Client configured. */
    return WEXITSTATUS(status);
}

START_TEST(test_ssl_rejects_untrusted_peers)
{
    bool server_ok;

    /* Sanity: a trusted client gets through. */
    ck_assert_int_eq(try_client("peer", "ca", &server_ok), 0);
    ck_assert(server_ok);

    /* A client whose certificate the server's CA did not sign. */
    try_client("rogue", "ca", &server_ok);
    ck_assert(!server_ok);

    /* A client that does not trust the server's CA. */
    ck_assert_int_ne(try_client("rogue", "other-ca", &server_ok), 0);
    ck_assert(!server_ok);
}
END_TEST

START_TEST(test_ssl_plain_tcp_client_is_refused_cleanly)
{
    configure("peer", "ca");
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("pssl:0:127.0.0.1", &ps), 0);
    char *name = xasprintf("tcp:127.0.0.1:%u", pstream_get_bound_port(ps));
    struct stream *plain;
    ck_assert_int_eq(stream_open_block(name, 5000, &plain), 0);
    const char *junk = "{\"method\":\"echo\",\"params\":[],\"id\":1}";
    ck_assert_int_eq(stream_send(plain, junk, strlen(junk)), strlen(junk));

    struct stream *s = NULL;
    int error = EAGAIN;
    long long deadline = time_msec() + 5000;
    while (error == EAGAIN && time_msec() < deadline) {
        if (!s && pstream_accept(ps, &s)) {
            s = NULL;
        }
        if (s) {
            error = stream_connect(s);
        }
        if (error == EAGAIN) {
            s ? stream_connect_wait(s) : pstream_wait(ps);
            poll_timer_wait_until(deadline);
            poll_block();
        }
    }
    ck_assert_int_eq(error, EPROTO);
    stream_close(s);
    stream_close(plain);
    pstream_close(ps);
    free(name);
}
END_TEST

/* Forks a TLS server with identity 'who' ("peer" or "rogue"; 'cert' is its
 * certificate file, maybe with the CA chain) that trusts "ca" and completes
 * handshakes until killed.  OpenSSL adds the CA to the chain it sends when
 * the CA is in its trust store, so "peer" always sends it and "rogue"
 * (signed by other-ca) never does.  Returns its pid; '*port' is its port. */
static pid_t
start_server(const char *who, const char *cert, uint16_t *port)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        char *keyname = xasprintf("%s.key", who);
        char *key = file(keyname), *crt = file(cert), *ca = file("ca.pem");
        struct pstream *ps;
        if (stream_ssl_set_private_key_file(key)
            || stream_ssl_set_certificate_file(crt)
            || stream_ssl_set_ca_cert_file(ca)
            || pstream_open("pssl:0:127.0.0.1", &ps)) {
            _exit(1);
        }
        uint16_t p = pstream_get_bound_port(ps);
        if (write(fds[1], &p, sizeof p) != sizeof p) {
            _exit(1);
        }
        struct stream *conns[16];
        size_t n = 0;
        long long deadline = time_msec() + 20000;
        while (time_msec() < deadline) {
            struct stream *s;
            if (n < ARRAY_SIZE(conns) && !pstream_accept(ps, &s)) {
                conns[n++] = s;
            }
            for (size_t i = 0; i < n; i++) {
                char c;
                stream_recv(conns[i], &c, 1);   /* Drives the handshake. */
                stream_recv_wait(conns[i]);
            }
            pstream_wait(ps);
            poll_timer_wait_until(deadline);
            poll_block();
        }
        _exit(0);
    }
    close(fds[1]);
    ck_assert_int_eq(read(fds[0], port, sizeof *port), sizeof *port);
    close(fds[0]);
    return pid;
}

static void
stop_server(pid_t pid)
{
    /* SIGKILL: the child shares our fatal-signal pipe, so a handled
     * SIGTERM there would look like one here. */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

START_TEST(test_ssl_bootstrap_saves_the_servers_ca)
{
    uint16_t port;
    pid_t server = start_server("peer", "peer-chain.pem", &port);
    char *key = file("peer.key"), *cert = file("peer.pem");
    char *ca = file("bootstrapped-ca.pem");
    char *name = xasprintf("ssl:127.0.0.1:%u", port);
    unlink(ca);

    stream_ssl_follow_files(key, cert, ca, true);
    ck_assert(stream_ssl_is_bootstrapping());
    /* A listener has nothing to check its clients against yet. */
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("pssl:0:127.0.0.1", &ps), ENOPROTOOPT);

    /* The first connection saves the CA and is dropped... */
    ck_assert_int_eq(connect_status(port), EPROTO);
    ck_assert_int_eq(access(ca, R_OK), 0);
    ck_assert(!stream_ssl_is_bootstrapping());
    ck_assert(stream_ssl_is_configured());
    ck_assert_ptr_nonnull(strstr(stream_ssl_get_last_error(name),
                                 "bootstrapped"));
    /* ...the next is verified against it. */
    ck_assert_int_eq(connect_status(port), 0);
    ck_assert_ptr_null(stream_ssl_get_last_error(name));

    /* The saved file is the CA that signed the server. */
    char *cmd = xasprintf("cmp -s '%s' '%s/ca.pem' || "
                          "[ \"$(openssl x509 -noout -fingerprint -in '%s')\" "
                          "= \"$(openssl x509 -noout -fingerprint "
                          "-in '%s/ca.pem')\" ]", ca, tmpdir, ca, tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    stop_server(server);
    free(key);
    free(cert);
    free(ca);
    free(name);
}
END_TEST

START_TEST(test_ssl_bootstrap_needs_a_ca_in_the_chain)
{
    uint16_t port;
    pid_t server = start_server("rogue", "rogue.pem", &port);   /* No CA. */
    char *key = file("peer.key"), *cert = file("peer.pem");
    char *ca = file("never-ca.pem");
    char *name = xasprintf("ssl:127.0.0.1:%u", port);

    stream_ssl_follow_files(key, cert, ca, true);
    ck_assert_int_eq(connect_status(port), EPROTO);
    ck_assert_int_ne(access(ca, F_OK), 0);
    ck_assert(stream_ssl_is_bootstrapping());
    ck_assert_ptr_nonnull(strstr(stream_ssl_get_last_error(name),
                                 "no self-signed CA"));
    stop_server(server);
    free(key);
    free(cert);
    free(ca);
    free(name);
}
END_TEST

START_TEST(test_ssl_bootstrap_retries_after_a_failed_write_and_can_be_turned_off)
{
    uint16_t port;
    pid_t server = start_server("peer", "peer-chain.pem", &port);
    char *key = file("peer.key"), *cert = file("peer.pem");
    char *ca = file("no-such-dir/ca.pem");
    char *name = xasprintf("ssl:127.0.0.1:%u", port);

    stream_ssl_follow_files(key, cert, ca, true);
    ck_assert_int_eq(connect_status(port), EPROTO);
    ck_assert(stream_ssl_is_bootstrapping());
    const char *why = stream_ssl_get_last_error(name);
    ck_assert_msg(why && strstr(why, "cannot write"), "%s", why ? why : "");

    /* bootstrap_ca_cert=false with the file still missing: no more
     * unverified connections. */
    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert(!stream_ssl_is_bootstrapping());
    struct stream *s;
    ck_assert_int_eq(stream_open(name, &s), ENOPROTOOPT);
    stop_server(server);
    free(key);
    free(cert);
    free(ca);
    free(name);
}
END_TEST

START_TEST(test_ssl_untrusted_server_reason_is_kept)
{
    uint16_t port;
    pid_t server = start_server("peer", "peer.pem", &port);
    char *key = file("rogue.key"), *cert = file("rogue.pem");
    char *ca = file("other-ca.pem");
    char *name = xasprintf("ssl:127.0.0.1:%u", port);

    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert_int_eq(connect_status(port), EPROTO);
    const char *why = stream_ssl_get_last_error(name);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, "not trusted") != NULL, "%s", why);
    ck_assert_ptr_null(stream_ssl_get_last_error("ssl:127.0.0.1:1"));
    stop_server(server);
    free(key);
    free(cert);
    free(ca);
    free(name);
}
END_TEST

/* Copies file 'from' (in tmpdir) over 'to' (in tmpdir) with a new
 * modification time. */
static void
copy_file(const char *from, const char *to)
{
    char *cmd = xasprintf("cd '%s' && cp %s %s.tmp && touch -d '+%d sec' "
                          "%s.tmp && mv %s.tmp %s", tmpdir, from, to,
                          rand() % 1000 + 2, to, to, to);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

START_TEST(test_ssl_follow_files_reloads_changed_files)
{
    uint16_t port;
    pid_t server = start_server("peer", "peer.pem", &port);
    copy_file("peer.key", "my.key");
    copy_file("peer.pem", "my.pem");
    copy_file("ca.pem", "my-ca.pem");
    char *key = file("my.key"), *cert = file("my.pem"), *ca = file("my-ca.pem");

    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert_int_eq(connect_status(port), 0);

    /* The same names, new contents: the untrusted identity is loaded (and
     * the server refuses it) without being named again. */
    copy_file("rogue.key", "my.key");
    copy_file("rogue.pem", "my.pem");
    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert_int_ne(refused_status(port), 0);

    /* And back. */
    copy_file("peer.key", "my.key");
    copy_file("peer.pem", "my.pem");
    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert_int_eq(connect_status(port), 0);

    /* A CA file that changes to another CA: the server is no longer
     * trusted. */
    copy_file("other-ca.pem", "my-ca.pem");
    stream_ssl_follow_files(key, cert, ca, false);
    ck_assert_int_eq(connect_status(port), EPROTO);
    stop_server(server);
    free(key);
    free(cert);
    free(ca);
}
END_TEST

START_TEST(test_ssl_needs_configuration)
{
    struct stream *s;
    struct pstream *ps;
    ck_assert(!stream_ssl_is_configured());
    ck_assert_int_eq(stream_open("ssl:127.0.0.1:1", &s), ENOPROTOOPT);
    ck_assert_int_eq(pstream_open("pssl:0:127.0.0.1", &ps), ENOPROTOOPT);
    char *missing = file("missing.pem");
    ck_assert_int_eq(stream_ssl_set_certificate_file(missing), ENOENT);
    free(missing);
    char *notkey = file("ca.pem");
    ck_assert_int_eq(stream_ssl_set_private_key_file(notkey), EINVAL);
    free(notkey);
    ck_assert_int_eq(stream_verify_name("ssl:1.2.3.4:5"), 0);
    ck_assert_int_eq(pstream_verify_name("pssl:5"), 0);
    ck_assert(stream_needs_probes("ssl:1.2.3.4:5"));
}
END_TEST

int
main(void)
{
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    if (getenv("TEST_VLOG")) {
        vlog_set_verbosity(getenv("TEST_VLOG"));
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    if (!make_certs()) {
        fprintf(stderr, "openssl could not make test certificates\n");
        return 77;
    }

    Suite *s = suite_create("stream-ssl");
    TCase *tc = tcase_create("stream-ssl");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ssl_needs_configuration);
    tcase_add_test(tc, test_ssl_jsonrpc_roundtrip);
    tcase_add_test(tc, test_ssl_rejects_untrusted_peers);
    tcase_add_test(tc, test_ssl_plain_tcp_client_is_refused_cleanly);
    tcase_add_test(tc, test_ssl_bootstrap_saves_the_servers_ca);
    tcase_add_test(tc, test_ssl_bootstrap_needs_a_ca_in_the_chain);
    tcase_add_test(tc,
        test_ssl_bootstrap_retries_after_a_failed_write_and_can_be_turned_off);
    tcase_add_test(tc, test_ssl_untrusted_server_reason_is_kept);
    tcase_add_test(tc, test_ssl_follow_files_reloads_changed_files);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    if (system(cmd)) {
        failed++;
    }
    free(cmd);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
