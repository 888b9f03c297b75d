/* The standalone replay shared by the fuzz targets in tests/fuzz/.
 *
 * Each target defines LLVMFuzzerTestOneInput().  Built with clang
 * -fsanitize=fuzzer -DVS_LIBFUZZER (tests/fuzz/run-fuzz.sh), libFuzzer
 * provides main().  Built for 'make check', the target links
 * tests/fuzz/fuzz-main.c, whose main() runs the target's inputs as
 * described by the 'fuzz_replay' the target defines:
 *
 *   fuzz-TARGET [--mutations=N] [FILE|DIR]...
 *
 * Inputs are the files named (every file of a DIR, in name order), else
 * every file of the target's default corpus under $top_srcdir, else its
 * built-in seeds.  A file that cannot be read, or too few inputs, fails
 * the run. */
#ifndef FUZZ_MAIN_H
#define FUZZ_MAIN_H 1

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A built-in input: FUZZ_SEED("\0bytes") keeps leading or inner NULs. */
struct fuzz_seed {
    const char *data;
    size_t size;
};
#define FUZZ_SEED(LITERAL) { LITERAL, sizeof LITERAL - 1 }

struct fuzz_replay {
    /* Default corpus directory, relative to $top_srcdir (or to SRCDIR if
     * the target is compiled with it, else "."); NULL if none. */
    const char *corpus;

    /* Built-in inputs, used when there is no corpus and no argument. */
    const struct fuzz_seed *seeds;
    size_t n_seeds;

    /* The default corpus must give at least this many inputs (0 means 1):
     * an empty corpus would prove nothing. */
    int min_inputs;

    /* Variations per input unless "--mutations=N" says otherwise. */
    int n_mutations;

    /* Seed of the generator passed to 'run' (0: a fixed default).  The
     * same generator state carries over from one input to the next, so a
     * run is the same every time. */
    uint64_t rng_seed;

    /* Runs one input (an exact-size heap copy, so that ASan sees any read
     * past its end) and up to 'n_mutations' variations of it; returns
     * how many inputs that made.  NULL: LLVMFuzzerTestOneInput() on the
     * input alone. */
    size_t (*run)(const uint8_t *data, size_t size, int n_mutations,
                  uint64_t *rng);

    /* Called once after all inputs ran, if nonnull: more checks, figures,
     * cleanup. */
    void (*finish)(void);
};

/* Defined by each target that links fuzz-main.c. */
extern const struct fuzz_replay fuzz_replay;

/* xorshift64: deterministic, the same on every run. */
uint64_t fuzz_random(uint64_t *state);

#endif /* fuzz-main.h */
