/* flow-pcap: prints flow_to_string() of every frame in a pcap file, one
 * line per frame, like "ovs-ofctl parse-pcap" does for Open vSwitch, so
 * that tests can compare the two parsers on the same frames.
 *
 *   tests/flow-pcap FILE.pcap
 *
 * Reads classic pcap (either byte order, microsecond or nanosecond
 * timestamps) with Ethernet link type.  A malformed file gets an error
 * message and exit status 1. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"

struct pcap_file_header {
    uint32_t magic;
    uint16_t version_major;
    uint16_t version_minor;
    int32_t thiszone;
    uint32_t sigfigs;
    uint32_t snaplen;
    uint32_t linktype;
};

struct pcap_record_header {
    uint32_t ts_sec;
    uint32_t ts_subsec;
    uint32_t incl_len;
    uint32_t orig_len;
};

#define PCAP_MAX_FRAME (256 * 1024)

static uint32_t
fix32(uint32_t x, bool swap)
{
    return swap ? __builtin_bswap32(x) : x;
}

int
main(int argc, char *argv[])
{
    struct pcap_file_header fh;
    struct pcap_record_header rh;
    uint8_t *buf;
    bool swap;
    FILE *f;
    int n = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (fread(&fh, sizeof fh, 1, f) != 1) {
        fprintf(stderr, "%s: too short for a pcap header\n", argv[1]);
        return 1;
    }
    if (fh.magic == 0xa1b2c3d4 || fh.magic == 0xa1b23c4d) {
        swap = false;
    } else if (fh.magic == 0xd4c3b2a1 || fh.magic == 0x4d3cb2a1) {
        swap = true;
    } else {
        fprintf(stderr, "%s: not a pcap file (magic %#x)\n", argv[1], fh.magic);
        return 1;
    }
    if (fix32(fh.linktype, swap) != 1) {
        fprintf(stderr, "%s: link type %u is not Ethernet\n", argv[1],
                fix32(fh.linktype, swap));
        return 1;
    }

    buf = xmalloc(PCAP_MAX_FRAME);
    while (fread(&rh, sizeof rh, 1, f) == 1) {
        uint32_t len = fix32(rh.incl_len, swap);
        struct dp_packet b;
        struct flow flow;
        char *s;

        if (len > PCAP_MAX_FRAME) {
            fprintf(stderr, "%s: frame %d: length %u too big\n", argv[1], n, len);
            return 1;
        }
        if (fread(buf, 1, len, f) != len) {
            fprintf(stderr, "%s: frame %d truncated\n", argv[1], n);
            return 1;
        }
        dp_packet_use_const(&b, buf, len);
        flow_extract(&b, &flow);
        s = flow_to_string(&flow);
        puts(s);
        free(s);
        n++;
    }
    free(buf);
    fclose(f);
    return 0;
}
