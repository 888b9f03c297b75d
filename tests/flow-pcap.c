/* flow-pcap: prints flow_to_string() of every frame in a pcap file, one
 * line per frame, like "ovs-ofctl parse-pcap" does for Open vSwitch, so
 * that tests can compare the two parsers on the same frames.
 *
 *   tests/flow-pcap FILE.pcap
 *   tests/flow-pcap --compose OUT.pcap FILE.pcap
 *
 * With --compose it also writes, for every frame, the frame flow_compose()
 * builds from its flow into OUT.pcap, so that other tools (ovs-ofctl,
 * tshark) can check those frames too.
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
#include "flow-compose.h"

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

/* Writes a pcap file header (microseconds, host order, Ethernet). */
static void
write_header(FILE *out)
{
    struct pcap_file_header fh = {
        .magic = 0xa1b2c3d4, .version_major = 2, .version_minor = 4,
        .snaplen = PCAP_MAX_FRAME, .linktype = 1,
    };
    fwrite(&fh, sizeof fh, 1, out);
}

static void
write_frame(FILE *out, const struct dp_packet *b)
{
    struct pcap_record_header rh = {
        .incl_len = dp_packet_size(b), .orig_len = dp_packet_size(b),
    };
    fwrite(&rh, sizeof rh, 1, out);
    fwrite(dp_packet_data(b), dp_packet_size(b), 1, out);
}

int
main(int argc, char *argv[])
{
    struct pcap_file_header fh;
    struct pcap_record_header rh;
    FILE *f, *out = NULL;
    uint8_t *buf;
    bool swap;
    int n = 0;

    if (argc == 4 && !strcmp(argv[1], "--compose")) {
        out = fopen(argv[2], "wb");
        if (!out) {
            fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        write_header(out);
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s [--compose OUT.pcap] FILE.pcap\n", argv[0]);
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
        if (out) {
            struct dp_packet *c = dp_packet_new(0);
            flow_compose(c, &flow);
            write_frame(out, c);
            dp_packet_delete(c);
        }
        n++;
    }
    free(buf);
    fclose(f);
    if (out && fclose(out)) {
        fprintf(stderr, "%s: write failed\n", argv[0]);
        return 1;
    }
    return 0;
}
