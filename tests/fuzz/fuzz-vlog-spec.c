/* Fuzz target for what "vs-appctl vlog/set" hands to a daemon: log level
 * specs ("module:destination:level", "pattern:DEST:PATTERN",
 * "facility:NAME"), followed by logging through whatever pattern resulted.
 *
 * Built two ways, like fuzz-jsonrpc: with clang -fsanitize=fuzzer
 * ("tests/fuzz/run-fuzz.sh vlog-spec"), or with gcc for 'make check', where
 * tests/fuzz/fuzz-main.c runs a fixed-seed generator of spec-like strings
 * plus raw bytes.
 *
 * Invariants beyond "does not crash": a spec is either accepted (NULL) or
 * rejected with a nonempty message, and a rejected spec changes no level. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-main.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(fuzz_vlog);

static int log_fd = -1;

static void
setup_once(void)
{
    static bool done;
    if (!done) {
        done = true;
        /* Console output would only slow the run down. */
        vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
        char path[] = "/tmp/vs-fuzz-vlog-XXXXXX";
        log_fd = mkstemp(path);
        if (log_fd >= 0) {
            vlog_set_log_file(path);
            unlink(path);
        }
    }
}

static void
one_input(const uint8_t *data, size_t size)
{
    char *spec = xmalloc(size + 1);
    memcpy(spec, data, size);
    spec[size] = '\0';

    int before = vlog_get_level(THIS_MODULE, VLF_FILE);
    char *error = vlog_set_levels_from_string(spec);
    if (error) {
        vs_assert(error[0] != '\0');
        vs_assert(vlog_get_level(THIS_MODULE, VLF_FILE) == before);
        free(error);
    }
    /* Never leave syslog on: the fuzzer must not flood the host's log. */
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    vlog_set_levels(THIS_MODULE, VLF_FILE, VLL_DBG);
    VLOG_WARN("fuzz %zu %s", size, spec);
    free(spec);

    /* Keep the log file small. */
    if (log_fd >= 0 && lseek(log_fd, 0, SEEK_END) > (1 << 20)) {
        if (ftruncate(log_fd, 0)) {
            abort();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    one_input(data, size);
    return 0;
}

#ifndef VS_LIBFUZZER
/* Builds spec-like strings from the pieces that matter, with random
 * separators, widths, braces and stray bytes mixed in. */
static size_t
generate(unsigned int *seed, char *buf, size_t max)
{
    static const char *const words[] = {
        "ANY", "any", "console", "syslog", "file", "off", "emer", "err",
        "warn", "info", "dbg", "debug", "fuzz_vlog", "vlog", "poll_loop",
        "pattern", "facility", "local0", "daemon", "%m", "%c", "%p", "%d",
        "%D{%Y-%m-%dT%H:%M:%S.###Z}", "%-5p", "%05N", "%t", "%A", "%P",
        "%r", "%n", "%%", "%", "%-", "%999999999999c", "%{", "%D{", "}",
        "%d{%%%%%%###}", "", ":", "::",
    };
    size_t n = 0;
    int parts = rand_r(seed) % 6 + 1;

    for (int i = 0; i < parts && n + 64 < max; i++) {
        int r = rand_r(seed) % 10;
        if (r < 7) {
            const char *w = words[rand_r(seed) % ARRAY_SIZE(words)];
            n += snprintf(buf + n, max - n, "%s", w);
        } else {
            int len = rand_r(seed) % 8;
            for (int j = 0; j < len; j++) {
                buf[n++] = rand_r(seed) % 255 + 1;
            }
        }
        if (i + 1 < parts) {
            buf[n++] = rand_r(seed) % 4 ? ':' : ' ';
        }
    }
    return n;
}

/* Runs 'data' (from a file named on the command line, or the empty seed)
 * and then 'n_mutations' generated specs. */
static size_t
run_generated(const uint8_t *data, size_t size, int n_mutations,
              uint64_t *rng)
{
    unsigned int seed = *rng;           /* rand_r()'s state is narrower. */
    char buf[1024];

    LLVMFuzzerTestOneInput(data, size);
    for (int i = 0; i < n_mutations; i++) {
        size_t n = generate(&seed, buf, sizeof buf);
        one_input((const uint8_t *) buf, n);
    }
    *rng = seed;
    return 1 + n_mutations;
}

/* Still logging after all that. */
static void
log_once_more(void)
{
    vlog_set_pattern(VLF_FILE, "%c|%p|%m");
    VLOG_WARN("done");
}

static const struct fuzz_seed seeds[] = { FUZZ_SEED("") };

const struct fuzz_replay fuzz_replay = {
    .seeds = seeds,
    .n_seeds = ARRAY_SIZE(seeds),
    .n_mutations = 20000,
    .rng_seed = 12345,
    .run = run_generated,
    .finish = log_once_more,
};
#endif
