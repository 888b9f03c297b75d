/* OVSDB client for bench/ovsdb-bench.sh: N small updates with WINDOW of
 * them in flight (1: one at a time, each waiting for its reply), in C so
 * that the figure is the server's and not the benchmark's Python.
 *   ovsdb-bench-client SOCKET ROW-UUID N durable|plain [WINDOW]
 * Prints transactions per second. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
send_update(int fd, int i, const char *uuid, int durable)
{
    char req[1024];
    int len = snprintf(req, sizeof req,
                       "{\"method\":\"transact\",\"id\":%d,\"params\":[\"TestDB\","
                       "{\"op\":\"update\",\"table\":\"Root\",\"where\":[[\"_uuid\","
                       "\"==\",[\"uuid\",\"%s\"]]],\"row\":{\"n\":%d}}%s]}",
                       i, uuid, i % 1000,
                       durable ? ",{\"op\":\"commit\",\"durable\":true}" : "");
    return write(fd, req, len) == len ? 0 : -1;
}

static int
check_reply(struct json_object *reply)
{
    struct json_object *result;
    if (!json_object_object_get_ex(reply, "result", &result)
        || !json_object_is_type(result, json_type_array)
        || json_object_object_get_ex(json_object_array_get_idx(result, 0), "error", NULL)) {
        fprintf(stderr, "transaction failed: %s\n", json_object_to_json_string(reply));
        return -1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s SOCKET ROW-UUID N durable|plain [WINDOW]\n", argv[0]);
        return 2;
    }
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[1]);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        perror(argv[1]);
        return 1;
    }
    int n = atoi(argv[3]);
    int durable = !strcmp(argv[4], "durable");
    int window = argc > 5 ? atoi(argv[5]) : 1;
    struct json_tokener *tok = json_tokener_new();
    static char buf[1 << 20];
    int sent = 0, done = 0;
    double start = now();
    while (done < n) {
        while (sent < n && sent - done < window) {
            if (send_update(fd, sent++, argv[2], durable)) {
                perror("write");
                return 1;
            }
        }
        ssize_t got = read(fd, buf, sizeof buf);
        if (got <= 0) {
            fprintf(stderr, "server closed the connection\n");
            return 1;
        }
        /* A read may hold several replies, or part of one. */
        size_t ofs = 0;
        while (ofs < (size_t) got) {
            struct json_object *reply = json_tokener_parse_ex(tok, buf + ofs, got - ofs);
            enum json_tokener_error err = json_tokener_get_error(tok);
            if (!reply && err == json_tokener_continue) {
                break;
            } else if (!reply) {
                fprintf(stderr, "bad reply\n");
                return 1;
            }
            ofs += json_tokener_get_parse_end(tok);
            json_tokener_reset(tok);
            if (check_reply(reply)) {
                return 1;
            }
            json_object_put(reply);
            done++;
        }
    }
    printf("%.1f\n", n / (now() - start));
    json_tokener_free(tok);
    close(fd);
    return 0;
}
