/* Standalone main() for the fuzz targets: see fuzz-main.h. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-main.h"
#include "util.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

struct replay_run {
    const struct fuzz_replay *r;
    int n_mutations;
    uint64_t rng;
    int n_inputs;               /* Inputs (files or seeds) run. */
    size_t n_runs;              /* Calls into the target, mutations too. */
};

uint64_t
fuzz_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Runs one input; 'data' is an exact-size heap block that the target may
 * not keep. */
static void
run_input(struct replay_run *rr, const uint8_t *data, size_t size)
{
    if (rr->r->run) {
        rr->n_runs += rr->r->run(data, size, rr->n_mutations, &rr->rng);
    } else {
        LLVMFuzzerTestOneInput(data, size);
        rr->n_runs++;
    }
    rr->n_inputs++;
}

static void
run_bytes(struct replay_run *rr, const void *bytes, size_t size)
{
    /* At least one byte: xmemdup(p, 0) need not return a unique block. */
    uint8_t *copy = xmalloc(size ? size : 1);
    memcpy(copy, bytes, size);
    run_input(rr, copy, size);
    free(copy);
}

static int
run_file(struct replay_run *rr, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return errno;
    }
    size_t allocated = 4096, size = 0, n;
    uint8_t *data = xmalloc(allocated);
    while ((n = fread(data + size, 1, allocated - size, f)) > 0) {
        size += n;
        if (size == allocated) {
            data = x2nrealloc(data, &allocated, 1);
        }
    }
    int error = ferror(f) ? EIO : 0;
    fclose(f);
    if (error) {
        fprintf(stderr, "%s: read error\n", path);
    } else {
        run_bytes(rr, data, size);
    }
    free(data);
    return error;
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Runs every file in 'dir' whose name does not start with '.', in name
 * order (the generator state carries over, so the order matters). */
static int
run_dir(struct replay_run *rr, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return errno;
    }
    char **names = NULL;
    size_t n = 0, allocated = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] != '.') {
            if (n >= allocated) {
                names = x2nrealloc(names, &allocated, sizeof *names);
            }
            names[n++] = xasprintf("%s/%s", dir, de->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);

    int error = 0;
    for (size_t i = 0; i < n; i++) {
        if (!error) {
            error = run_file(rr, names[i]);
        }
        free(names[i]);
    }
    free(names);
    return error;
}

static int
run_path(struct replay_run *rr, const char *path)
{
    struct stat st;
    if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
        return run_dir(rr, path);
    }
    return run_file(rr, path);
}

int
main(int argc, char *argv[])
{
    const struct fuzz_replay *r = &fuzz_replay;
    struct replay_run rr = {
        .r = r,
        .n_mutations = r->n_mutations,
        .rng = r->rng_seed ? r->rng_seed : 0x9e3779b97f4a7c15ULL,
    };
    int min_inputs = 1;
    int error = 0;

    set_program_name(argv[0]);
    if (argc > 1 && str_starts_with(argv[1], "--mutations=")) {
        if (!str_to_int(argv[1] + 12, 10, &rr.n_mutations)
            || rr.n_mutations < 0) {
            vs_fatal(0, "bad %s", argv[1]);
        }
        argc--;
        argv++;
    }

    if (argc > 1) {
        for (int i = 1; i < argc && !error; i++) {
            error = run_path(&rr, argv[i]);
        }
    } else if (r->corpus) {
        const char *top = getenv("top_srcdir");
        char *dir = xasprintf("%s/%s", top ? top : SRCDIR, r->corpus);
        error = run_dir(&rr, dir);
        free(dir);
        min_inputs = MAX(r->min_inputs, 1);
    } else {
        for (size_t i = 0; i < r->n_seeds; i++) {
            run_bytes(&rr, r->seeds[i].data, r->seeds[i].size);
        }
    }
    if (error) {
        return EXIT_FAILURE;
    }
    if (rr.n_inputs < min_inputs) {
        fprintf(stderr, "%s: %d inputs, fewer than %d\n",
                program_name, rr.n_inputs, min_inputs);
        return EXIT_FAILURE;
    }
    if (r->finish) {
        r->finish();
    }
    printf("%s: %d inputs, %zu runs (mutations included), no failures\n",
           program_name, rr.n_inputs, rr.n_runs);
    return EXIT_SUCCESS;
}
