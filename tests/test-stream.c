/* Unit tests for lib/stream: real unix and TCP sockets over loopback and a
 * private temporary directory. */
#include <config.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "util.h"
#include "test-util.h"

static char tmpdir[] = "/tmp/test-stream.XXXXXX";

static void
setup(void)
{
    strcpy(tmpdir, "/tmp/test-stream.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* Waits (bounded: 10 s) for a connection on 'ps'. */
static struct stream *
accept_block(struct pstream *ps)
{
    for (int i = 0; i < 100; i++) {
        struct stream *s;
        int error = pstream_accept(ps, &s);
        if (!error) {
            return s;
        }
        ck_assert_int_eq(error, EAGAIN);
        pstream_wait(ps);
        poll_timer_wait(100);
        poll_block();
    }
    ck_abort_msg("no connection");
    return NULL;
}

/* Waits for 'stream' to connect; returns the final status. */
static int
connect_block(struct stream *stream)
{
    for (int i = 0; i < 100; i++) {
        int error = stream_connect(stream);
        if (error != EAGAIN) {
            return error;
        }
        stream_connect_wait(stream);
        poll_timer_wait(100);
        poll_block();
    }
    return ETIMEDOUT;
}

/* Sends all of 'data' from 'tx' while receiving it on 'rx', both
 * non-blocking, and checks it arrives intact. */
static void
transfer(struct stream *tx, struct stream *rx, const char *data, size_t n)
{
    char *got = xmalloc(n);
    size_t sent = 0, received = 0;

    for (int i = 0; i < 10000 && received < n; i++) {
        if (sent < n) {
            ssize_t retval = stream_send(tx, data + sent, n - sent);
            if (retval > 0) {
                sent += retval;
            } else {
                ck_assert_int_eq(retval, -EAGAIN);
            }
        }
        ssize_t retval = stream_recv(rx, got + received, n - received);
        if (retval > 0) {
            received += retval;
        } else {
            ck_assert_int_eq(retval, -EAGAIN);
        }
        if (sent < n) {
            stream_send_wait(tx);
        }
        stream_recv_wait(rx);
        poll_timer_wait(100);
        poll_block();
    }
    ck_assert_uint_eq(received, n);
    ck_assert(!memcmp(got, data, n));
    free(got);
}

/* Receives until end of stream (bounded). */
static void
expect_eof(struct stream *s)
{
    char buf[16];
    for (int i = 0; i < 100; i++) {
        ssize_t retval = stream_recv(s, buf, sizeof buf);
        if (retval == 0) {
            return;
        }
        ck_assert_int_eq(retval, -EAGAIN);
        stream_recv_wait(s);
        poll_timer_wait(100);
        poll_block();
    }
    ck_abort_msg("no end of stream");
}

static void
check_pair(struct stream *a, struct stream *b)
{
    transfer(a, b, "hello", 5);
    transfer(b, a, "world!", 6);
}

START_TEST(test_stream_unix_roundtrip_and_permissions)
{
    char *path = xasprintf("%s/sock", tmpdir);
    char *pname = xasprintf("punix:%s", path);
    char *name = xasprintf("unix:%s", path);
    struct pstream *ps;
    struct stream *client, *server;
    struct stat st;

    ck_assert_int_eq(pstream_open(pname, &ps), 0);
    ck_assert_str_eq(pstream_get_name(ps), pname);
    ck_assert_int_eq(pstream_get_bound_port(ps), 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    ck_assert_uint_eq(st.st_mode & 07777, 0750);

    ck_assert_int_eq(stream_open(name, &client), 0);
    ck_assert_int_eq(connect_block(client), 0);
    server = accept_block(ps);
    ck_assert_str_eq(stream_get_name(server), name);
    check_pair(client, server);

    stream_close(client);
    expect_eof(server);
    stream_close(server);

    /* Closing the listener removes the socket file. */
    pstream_close(ps);
    ck_assert_int_eq(stat(path, &st), -1);
    ck_assert_int_eq(stream_open(name, &client), ENOENT);
    ck_assert_ptr_null(client);
    free(path);
    free(pname);
    free(name);
}
END_TEST

START_TEST(test_stream_punix_replaces_stale_socket_not_live_one)
{
    char *path = xasprintf("%s/stale.sock", tmpdir);
    char *pname = xasprintf("punix:%s", path);

    /* A socket file left behind by a dead server. */
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    strcpy(un.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *) &un, sizeof un), 0);
    close(fd);
    ck_assert_int_eq(access(path, F_OK), 0);

    struct pstream *ps, *ps2;
    ck_assert_int_eq(pstream_open(pname, &ps), 0);

    /* A second server must not steal a live socket.  Its liveness probe
     * reaches the first server as a connection that ends at once. */
    ck_assert_int_eq(pstream_open(pname, &ps2), EADDRINUSE);
    ck_assert_ptr_null(ps2);
    struct stream *probe = accept_block(ps);
    expect_eof(probe);
    stream_close(probe);

    struct stream *client;
    char *name = xasprintf("unix:%s", path);
    ck_assert_int_eq(stream_open_block(name, 5000, &client), 0);
    struct stream *server = accept_block(ps);
    check_pair(client, server);
    stream_close(client);
    stream_close(server);
    pstream_close(ps);
    free(name);
    free(path);
    free(pname);
}
END_TEST

START_TEST(test_stream_unix_long_path)
{
    /* Longer than sun_path (108 bytes). */
    struct ds_dir { char s[512]; } dir;
    snprintf(dir.s, sizeof dir.s, "%s/%s", tmpdir,
             "a-directory-name-long-enough-to-push-the-socket-path-"
             "beyond-what-sockaddr-un-can-hold-in-its-sun-path-member");
    ck_assert_int_eq(mkdir(dir.s, 0700), 0);
    char *path = xasprintf("%s/db.sock", dir.s);
    ck_assert_uint_gt(strlen(path), sizeof ((struct sockaddr_un *) 0)->sun_path);
    char *pname = xasprintf("punix:%s", path);
    char *name = xasprintf("unix:%s", path);

    struct pstream *ps;
    struct stream *client;
    ck_assert_int_eq(pstream_open(pname, &ps), 0);
    ck_assert_int_eq(access(path, F_OK), 0);
    ck_assert_int_eq(stream_open_block(name, 5000, &client), 0);
    struct stream *server = accept_block(ps);
    check_pair(client, server);
    stream_close(client);
    stream_close(server);
    pstream_close(ps);
    ck_assert_int_eq(access(path, F_OK), -1);
    free(path);
    free(pname);
    free(name);
}
END_TEST

START_TEST(test_stream_tcp_ephemeral_port_roundtrip)
{
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("ptcp:0:127.0.0.1", &ps), 0);
    uint16_t port = pstream_get_bound_port(ps);
    ck_assert_uint_ne(port, 0);

    char *name = xasprintf("tcp:127.0.0.1:%u", port);
    struct stream *client;
    ck_assert_int_eq(stream_open(name, &client), 0);
    ck_assert_int_eq(connect_block(client), 0);
    struct stream *server = accept_block(ps);
    ck_assert(str_starts_with(stream_get_name(server), "tcp:127.0.0.1:"));
    check_pair(client, server);

    /* A megabyte in both directions exercises partial sends. */
    size_t n = 1024 * 1024;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++) {
        big[i] = i * 7 + (i >> 10);
    }
    transfer(client, server, big, n);
    transfer(server, client, big, n);
    free(big);

    stream_close(server);
    expect_eof(client);
    stream_close(client);
    pstream_close(ps);
    free(name);
}
END_TEST

START_TEST(test_stream_tcp_ipv6_loopback)
{
    struct pstream *ps;
    int error = pstream_open("ptcp:0:[::1]", &ps);
    if (error == EAFNOSUPPORT || error == EADDRNOTAVAIL) {
        return;     /* No IPv6 on this host. */
    }
    ck_assert_int_eq(error, 0);
    char *name = xasprintf("tcp:[::1]:%u", pstream_get_bound_port(ps));
    struct stream *client;
    ck_assert_int_eq(stream_open_block(name, 5000, &client), 0);
    struct stream *server = accept_block(ps);
    ck_assert(str_starts_with(stream_get_name(server), "tcp:[::1]:"));
    check_pair(client, server);
    stream_close(client);
    stream_close(server);
    pstream_close(ps);
    free(name);
}
END_TEST

START_TEST(test_stream_tcp_connection_refused)
{
    /* Find a port nobody listens on: bind one, then let it go. */
    struct pstream *ps;
    ck_assert_int_eq(pstream_open("ptcp:0:127.0.0.1", &ps), 0);
    char *name = xasprintf("tcp:127.0.0.1:%u", pstream_get_bound_port(ps));
    pstream_close(ps);

    struct stream *client;
    int error = stream_open(name, &client);
    if (!error) {
        error = connect_block(client);
        /* Later calls keep reporting it. */
        ck_assert_int_eq(stream_connect(client), error);
        char c;
        ck_assert_int_eq(stream_recv(client, &c, 1), -error);
        stream_close(client);
    }
    ck_assert_int_eq(error, ECONNREFUSED);
    ck_assert_int_eq(stream_open_block(name, 5000, &client), ECONNREFUSED);
    ck_assert_ptr_null(client);
    free(name);
}
END_TEST

START_TEST(test_stream_rejects_bad_names)
{
    struct stream *s;
    struct pstream *ps;

    ck_assert_int_eq(stream_open("foo:bar", &s), EAFNOSUPPORT);
    ck_assert_int_eq(stream_open("tcp", &s), EAFNOSUPPORT);
    ck_assert_int_eq(stream_open("tcp:127.0.0.1", &s), EINVAL);
    ck_assert_int_eq(stream_open("tcp:127.0.0.1:0", &s), EINVAL);
    ck_assert_int_eq(stream_open("tcp:localhost:80", &s), EINVAL);
    ck_assert_int_eq(stream_open("tcp:1.2.3.4:99999", &s), EINVAL);
    ck_assert_int_eq(stream_open("tcp:[::1:80", &s), EINVAL);
    ck_assert_int_eq(stream_open("unix:", &s), EINVAL);
    ck_assert_int_eq(pstream_open("ptcp:70000", &ps), EINVAL);
    ck_assert_int_eq(pstream_open("ptcp:x", &ps), EINVAL);
    ck_assert_int_eq(pstream_open("ptcp:0:not-an-ip", &ps), EINVAL);
    ck_assert_int_eq(pstream_open("pfoo:1", &ps), EAFNOSUPPORT);
    ck_assert_int_eq(pstream_open("punix:", &ps), EINVAL);

    ck_assert_int_eq(stream_verify_name("tcp:1.2.3.4:5"), 0);
    ck_assert_int_eq(stream_verify_name("unix:/x"), 0);
    ck_assert_int_eq(stream_verify_name("ptcp:5"), EAFNOSUPPORT);
    ck_assert_int_eq(pstream_verify_name("ptcp:5"), 0);
    ck_assert(stream_needs_probes("tcp:1.2.3.4:5"));
    ck_assert(!stream_needs_probes("unix:/x"));
}
END_TEST

START_TEST(test_socket_util_parses_addresses)
{
    struct sockaddr_storage ss;
    socklen_t len;

    ck_assert_int_eq(inet_parse_active("10.1.2.3:6640", &ss, &len), 0);
    char *s = ss_format(&ss);
    ck_assert_str_eq(s, "10.1.2.3:6640");
    free(s);
    ck_assert_int_eq(inet_parse_active("[fe80::1]:6653", &ss, &len), 0);
    s = ss_format(&ss);
    ck_assert_str_eq(s, "[fe80::1]:6653");
    free(s);
    ck_assert_int_eq(inet_parse_passive("6640", &ss, &len), 0);
    s = ss_format(&ss);
    ck_assert_str_eq(s, "0.0.0.0:6640");
    free(s);
    ck_assert_int_eq(inet_parse_passive("0:[::]", &ss, &len), 0);
    s = ss_format(&ss);
    ck_assert_str_eq(s, "[::]:0");
    free(s);
    ck_assert_int_eq(inet_parse_passive("1:[::", &ss, &len), EINVAL);
    ck_assert_int_eq(inet_parse_passive(":1.2.3.4", &ss, &len), EINVAL);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("stream");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_stream_unix_roundtrip_and_permissions);
    tcase_add_test(tc, test_stream_punix_replaces_stale_socket_not_live_one);
    tcase_add_test(tc, test_stream_unix_long_path);
    tcase_add_test(tc, test_stream_tcp_ephemeral_port_roundtrip);
    tcase_add_test(tc, test_stream_tcp_ipv6_loopback);
    tcase_add_test(tc, test_stream_tcp_connection_refused);
    tcase_add_test(tc, test_stream_rejects_bad_names);
    tcase_add_test(tc, test_socket_util_parses_addresses);
    suite_add_tcase(s, tc);

    return test_run_suite(s);
}
