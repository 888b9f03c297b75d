/* A test client of the IDL as a daemon uses it: reconnecting, driven by the
 * poll loop.  Prints the sorted bridge names each time they change, for at
 * most 'seconds' seconds.
 *
 *   idl-watch REMOTE SECONDS */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb/idl.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int
main(int argc, char *argv[])
{
    char *err;
    int seconds;

    set_program_name(argv[0]);
    if (argc != 3 || !str_to_int(argv[2], 10, &seconds)) {
        fprintf(stderr, "usage: %s REMOTE SECONDS\n", argv[0]);
        return 2;
    }
    struct ovsdb_idl *idl = ovsdb_idl_create(argv[1], "Open_vSwitch", 5000,
                                             &err);
    if (!idl || ovsdb_idl_monitor(idl, 5000, &err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ovsdb_idl_set_reconnect(idl, true);

    struct idl_table *bridges = ovsdb_idl_get_table(idl, "Bridge");
    long long deadline = time_msec() + seconds * 1000LL;
    unsigned int seen = 0;
    char *last = NULL;
    while (time_msec() < deadline) {
        ovsdb_idl_run(idl, 0);
        if (ovsdb_idl_get_seqno(idl) != seen && ovsdb_idl_is_connected(idl)) {
            const char **names = xcalloc(hmap_count(&bridges->rows) + 1,
                                         sizeof *names);
            struct idl_row *row;
            size_t n = 0;
            seen = ovsdb_idl_get_seqno(idl);
            IDL_ROW_FOR_EACH (row, bridges) {
                names[n++] = idl_row_get_string(row, "name");
            }
            qsort(names, n, sizeof *names, cmp_str);
            struct ds s = DS_EMPTY_INITIALIZER;
            ds_put_cstr(&s, "bridges:");
            for (size_t i = 0; i < n; i++) {
                ds_put_format(&s, " %s", names[i]);
            }
            if (!last || strcmp(last, ds_cstr(&s))) {
                printf("%s\n", ds_cstr(&s));
                fflush(stdout);
                free(last);
                last = ds_steal_cstr(&s);
            }
            ds_destroy(&s);
            free(names);
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    free(last);
    ovsdb_idl_destroy(idl);
    return 0;
}
