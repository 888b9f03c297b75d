/* Unit tests for utilities/ofctl-conn (vs-ofctl's connection): how targets
 * become stream names, and, against a scripted switch on a real Unix
 * socket, version negotiation, echo handling, multipart dumps split over
 * several replies, and errors reported before a barrier reply. */
#include <config.h>
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ofctl-conn.h"
#include "ofp-buf.h"
#include "ofp-errors.h"
#include "ofp-msgs.h"
#include "test-util.h"
#include "util.h"

START_TEST(test_bridge_name_is_mgmt_socket)
{
    setenv("VS_RUNDIR", "/run/x", 1);
    char *s = ofctl_target_to_stream("br0", "mgmt");
    ck_assert_str_eq(s, "unix:/run/x/br0.mgmt");
    free(s);
    s = ofctl_target_to_stream("br0", "snoop");
    ck_assert_str_eq(s, "unix:/run/x/br0.snoop");
    free(s);
}
END_TEST

START_TEST(test_tcp_gets_default_port)
{
    char *s = ofctl_target_to_stream("tcp:10.0.0.1", "mgmt");
    ck_assert_str_eq(s, "tcp:10.0.0.1:6653");
    free(s);
    s = ofctl_target_to_stream("tcp:10.0.0.1:6633", "mgmt");
    ck_assert_str_eq(s, "tcp:10.0.0.1:6633");
    free(s);
    s = ofctl_target_to_stream("tcp:[::1]", "mgmt");
    ck_assert_str_eq(s, "tcp:[::1]:6653");
    free(s);
    s = ofctl_target_to_stream("tcp:[::1]:7", "mgmt");
    ck_assert_str_eq(s, "tcp:[::1]:7");
    free(s);
}
END_TEST

START_TEST(test_paths_and_unix_names_kept)
{
    char *s = ofctl_target_to_stream("/tmp/sw.sock", "mgmt");
    ck_assert_str_eq(s, "unix:/tmp/sw.sock");
    free(s);
    s = ofctl_target_to_stream("unix:/tmp/sw.sock", "mgmt");
    ck_assert_str_eq(s, "unix:/tmp/sw.sock");
    free(s);
}
END_TEST

/* ---- A scripted switch: blocking socket code in its own thread. ---- */

struct fake_switch {
    char path[108];
    int listen_fd;
    uint32_t versions;          /* Bitmap in its hello. */
};

static void
write_all(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        ck_assert(k > 0);
        p = (const char *) p + k;
        n -= k;
    }
}

/* Reads one whole message; NULL at end of stream. */
static struct ofpbuf *
read_msg(int fd)
{
    uint8_t h[OFP_HEADER_LEN];
    size_t got = 0;
    while (got < sizeof h) {
        ssize_t k = read(fd, h + got, sizeof h - got);
        if (k <= 0) {
            return NULL;
        }
        got += k;
    }
    size_t len = get_be16(h + 2);
    struct ofpbuf *b = ofpbuf_new(len);
    ofpbuf_put(b, h, sizeof h);
    uint8_t *rest = ofpbuf_put_uninit(b, len - sizeof h);
    for (got = 0; got < len - sizeof h; ) {
        ssize_t k = read(fd, rest + got, len - sizeof h - got);
        ck_assert(k > 0);
        got += k;
    }
    return b;
}

static void
send_msg(int fd, struct ofpbuf *b)
{
    write_all(fd, b->data, b->size);
    ofpbuf_delete(b);
}

static void *
fake_switch_main(void *fs_)
{
    struct fake_switch *fs = fs_;
    int fd = accept(fs->listen_fd, NULL, NULL);
    ck_assert(fd >= 0);
    send_msg(fd, ofp_hello_encode(fs->versions, 100));
    struct ofpbuf *msg;
    uint8_t version = 0;
    while ((msg = read_msg(fd)) != NULL) {
        struct ofp_msg_header h;
        if (msg->data[1] == OFPT_HELLO) {
            uint32_t theirs;
            ck_assert_int_eq(ofp_hello_decode(msg->data, msg->size, &theirs), 0);
            version = ofp_negotiate_version(fs->versions, theirs);
            /* Probe the client's echo handling before anything else. */
            send_msg(fd, ofp_echo_request(version, 77));
            ofpbuf_delete(msg);
            continue;
        }
        ck_assert_int_eq(ofptype_decode(msg->data, msg->size, &h, NULL), 0);
        if (h.type == OFPTYPE_ECHO_REPLY) {
            ck_assert_int_eq(h.xid, 77);
        } else if (h.type == OFPTYPE_ECHO_REQUEST) {
            send_msg(fd, ofp_echo_reply(msg->data, msg->size));
        } else if (h.type == OFPTYPE_DESC_STATS_REQUEST) {
            /* Two replies for one request: the first says "more". */
            struct ofpbuf *r = ofpmsg_alloc_reply(OFPTYPE_DESC_STATS_REPLY, &h, 0);
            ofpmsg_set_mp_flags(r, OFPSF_REPLY_MORE);
            send_msg(fd, r);
            send_msg(fd, ofpmsg_alloc_reply(OFPTYPE_DESC_STATS_REPLY, &h, 0));
        } else if (h.type == OFPTYPE_FLOW_MOD) {
            send_msg(fd, ofperr_encode(OFPERR_OFPBAC_BAD_OUT_PORT, version, h.xid,
                                       msg->data, msg->size));
        } else if (h.type == OFPTYPE_BARRIER_REQUEST) {
            send_msg(fd, ofpmsg_alloc_reply(OFPTYPE_BARRIER_REPLY, &h, 0));
        }
        ofpbuf_delete(msg);
    }
    close(fd);
    return NULL;
}

static void
fake_switch_start(struct fake_switch *fs, uint32_t versions, pthread_t *thread)
{
    memset(fs, 0, sizeof *fs);
    snprintf(fs->path, sizeof fs->path, "/tmp/test-ofctl-conn.%ld.sock",
             (long) getpid());
    unlink(fs->path);
    fs->versions = versions;
    fs->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    strcpy(sun.sun_path, fs->path);
    ck_assert_int_eq(bind(fs->listen_fd, (struct sockaddr *) &sun, sizeof sun), 0);
    ck_assert_int_eq(listen(fs->listen_fd, 1), 0);
    ck_assert_int_eq(pthread_create(thread, NULL, fake_switch_main, fs), 0);
}

static void
fake_switch_stop(struct fake_switch *fs, pthread_t thread)
{
    pthread_join(thread, NULL);
    close(fs->listen_fd);
    unlink(fs->path);
}

START_TEST(test_negotiates_highest_common_version)
{
    struct fake_switch fs;
    pthread_t t;
    fake_switch_start(&fs, OFP_VERSION_BIT(OFP10_VERSION) | OFP_VERSION_BIT(OFP13_VERSION),
                      &t);
    struct ofctl_conn *c = ofctl_open(fs.path, "mgmt",
                                      OFP_VERSION_BIT(OFP10_VERSION)
                                      | OFP_VERSION_BIT(OFP13_VERSION)
                                      | OFP_VERSION_BIT(OFP15_VERSION), 5000);
    ck_assert_int_eq(c->version, OFP13_VERSION);
    /* A transaction gets its reply although an echo request came first. */
    struct ofpbuf *reply = ofctl_transact(c, ofp_echo_request(c->version, ofctl_xid(c)));
    ck_assert_int_eq(reply->data[1], OFPT_ECHO_REPLY);
    ofpbuf_delete(reply);
    ofctl_close(c);
    fake_switch_stop(&fs, t);
}
END_TEST

START_TEST(test_dump_collects_every_reply)
{
    struct fake_switch fs;
    pthread_t t;
    fake_switch_start(&fs, OFP_VERSION_BIT(OFP13_VERSION), &t);
    struct ofctl_conn *c = ofctl_open(fs.path, "mgmt", OFP_VERSION_BIT(OFP13_VERSION),
                                      5000);
    struct ofpbuf **replies;
    size_t n = ofctl_dump(c, ofpmsg_alloc(OFPTYPE_DESC_STATS_REQUEST, c->version,
                                          ofctl_xid(c), 0), &replies);
    ck_assert_uint_eq(n, 2);
    ofctl_free_replies(replies, n);
    ofctl_close(c);
    fake_switch_stop(&fs, t);
}
END_TEST

START_TEST(test_pipelined_errors_counted_before_barrier)
{
    struct fake_switch fs;
    pthread_t t;
    fake_switch_start(&fs, OFP_VERSION_BIT(OFP13_VERSION), &t);
    struct ofctl_conn *c = ofctl_open(fs.path, "mgmt", OFP_VERSION_BIT(OFP13_VERSION),
                                      5000);
    /* Three flow_mods the switch refuses, sent back to back. */
    for (int i = 0; i < 3; i++) {
        struct ofpbuf *fm = ofpmsg_alloc(OFPTYPE_FLOW_MOD, c->version, ofctl_xid(c), 0);
        ofpbuf_put_zeros(fm, 40);
        ofpmsg_update_length(fm);
        ofctl_send(c, fm);
    }
    ofctl_barrier(c);
    ck_assert_int_eq(c->n_errors, 3);
    ofctl_close(c);
    fake_switch_stop(&fs, t);
}
END_TEST

static Suite *
ofctl_conn_suite(void)
{
    Suite *s = suite_create("ofctl-conn");
    TCase *tc = tcase_create("targets");
    tcase_add_test(tc, test_bridge_name_is_mgmt_socket);
    tcase_add_test(tc, test_tcp_gets_default_port);
    tcase_add_test(tc, test_paths_and_unix_names_kept);
    suite_add_tcase(s, tc);
    tc = tcase_create("switch");
    tcase_add_test(tc, test_negotiates_highest_common_version);
    tcase_add_test(tc, test_dump_collects_every_reply);
    tcase_add_test(tc, test_pipelined_errors_counted_before_barrier);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return test_run_suite(ofctl_conn_suite());
}
