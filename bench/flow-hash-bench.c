/* Micro-benchmark for the upcall-path flow operations: flow_hash,
 * flow_hash_masked, flow_equal_masked and flow_extract.  Yardstick:
 * hash_bytes() from lib/util over the same 200-byte key (the generic
 * Murmur-style hash the rest of the project uses), measured in the same
 * run.  Bounded: a fixed number of iterations per case. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dp-packet.h"
#include "flow.h"

#define N_FLOWS 1024
#define ROUNDS 2000

static double
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct flow flows[N_FLOWS];
static volatile uint32_t sink;

int
main(void)
{
    /* A TCP SYN (scapy-built) as the template; flows vary by address and port. */
    static const char tcp4[] =
        "66778899aabb00112233445508004500002800010000400666cd0a0000010a00"
        "0002303900500000000000000000500220004b570000";
    struct flow_wildcards wc;
    struct dp_packet *b = dp_packet_new(0);
    double t, base, h, hm, eq, ex;
    uint32_t acc = 0;

    dp_packet_put_hex(b, tcp4);
    flow_extract(b, &flows[0]);
    for (int i = 1; i < N_FLOWS; i++) {
        flows[i] = flows[0];
        flows[i].nw_src = htonl(0x0a000000 + i);
        flows[i].tp_src = htons(1024 + i);
    }
    flow_wildcards_init_catchall(&wc);
    wc.masks.dl_type = 0xffff;
    wc.masks.nw_proto = 0xff;
    wc.masks.nw_dst = htonl(0xffffff00);
    wc.masks.tp_dst = 0xffff;
    wc.masks.in_port = UINT32_MAX;

    t = now_ns();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N_FLOWS; i++) {
            acc += hash_bytes(&flows[i], sizeof flows[i], r);
        }
    }
    base = (now_ns() - t) / (ROUNDS * (double) N_FLOWS);

    t = now_ns();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N_FLOWS; i++) {
            acc += flow_hash(&flows[i], r);
        }
    }
    h = (now_ns() - t) / (ROUNDS * (double) N_FLOWS);

    t = now_ns();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N_FLOWS; i++) {
            acc += flow_hash_masked(&flows[i], &wc, r);
        }
    }
    hm = (now_ns() - t) / (ROUNDS * (double) N_FLOWS);

    t = now_ns();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N_FLOWS; i++) {
            acc += flow_equal_masked(&flows[i], &flows[(i + r) % N_FLOWS], &wc);
        }
    }
    eq = (now_ns() - t) / (ROUNDS * (double) N_FLOWS);

    t = now_ns();
    for (int r = 0; r < ROUNDS * 100; r++) {
        struct flow f;
        flow_extract(b, &f);
        acc += f.tp_src;
    }
    ex = (now_ns() - t) / (ROUNDS * 100.0);
    sink = acc;

    printf("hash_bytes(200 B) [yardstick]  %6.1f ns\n", base);
    printf("flow_hash                      %6.1f ns  ratio %.2f\n", h, h / base);
    printf("flow_hash_masked               %6.1f ns  ratio %.2f\n", hm, hm / base);
    printf("flow_equal_masked              %6.1f ns  ratio %.2f\n", eq, eq / base);
    printf("flow_extract (TCP/IPv4 frame)  %6.1f ns  ratio %.2f\n", ex, ex / base);
    dp_packet_delete(b);
    return 0;
}
