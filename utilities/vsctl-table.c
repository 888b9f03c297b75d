/* vs-vsctl: printing records as a table, list, CSV, JSON or bare values
 * (the formats of "list" and "find"). */
#include <config.h>

#include <string.h>
#include "util.h"
#include "vsctl.h"

struct vsctl_table_out {
    struct idl_table *table;
    const struct idl_column **columns;  /* Not owned. */
    size_t n_columns;
    struct idl_row **rows;
    size_t n_rows, allocated;
};

struct vsctl_table_out *
vsctl_table_create(struct idl_table *t, const struct idl_column **cols,
                   size_t n)
{
    struct vsctl_table_out *out = xzalloc(sizeof *out);
    out->table = t;
    out->columns = cols;
    out->n_columns = n;
    return out;
}

void
vsctl_table_add_row(struct vsctl_table_out *out, struct idl_row *row)
{
    if (out->n_rows >= out->allocated) {
        out->rows = x2nrealloc(out->rows, &out->allocated, sizeof *out->rows);
    }
    out->rows[out->n_rows++] = row;
}

void
vsctl_table_destroy(struct vsctl_table_out *out)
{
    if (out) {
        free(out->rows);
        free(out);
    }
}

static void
cell_text(const struct idl_row *row, const struct idl_column *c,
          enum vsctl_format fmt, struct ds *s)
{
    const struct idl_datum *d = idl_row_get(row, c);
    if (fmt == FMT_BARE) {
        idl_datum_to_bare(d, &c->type, s);
    } else {
        idl_datum_to_string(d, &c->type, s);
    }
}

static void
put_csv(struct ds *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        ds_put_cstr(out, s);
        return;
    }
    ds_put_char(out, '"');
    for (; *s; s++) {
        if (*s == '"') {
            ds_put_char(out, '"');
        }
        ds_put_char(out, *s);
    }
    ds_put_char(out, '"');
}

static void
print_table(struct vsctl_table_out *out, struct ds *o)
{
    size_t nc = out->n_columns, nr = out->n_rows;
    char **cells = xcalloc(nc * (nr + 1), sizeof *cells);
    size_t *width = xcalloc(nc, sizeof *width);

    for (size_t c = 0; c < nc; c++) {
        width[c] = vsctl_headings ? strlen(out->columns[c]->name) : 0;
        for (size_t r = 0; r < nr; r++) {
            struct ds s = DS_EMPTY_INITIALIZER;
            cell_text(out->rows[r], out->columns[c], FMT_TABLE, &s);
            cells[r * nc + c] = ds_steal_cstr(&s);
            width[c] = MAX(width[c], strlen(cells[r * nc + c]));
        }
    }
    if (vsctl_headings) {
        for (size_t c = 0; c < nc; c++) {
            ds_put_format(o, "%-*s%s", c + 1 < nc ? (int) width[c] : 0,
                          out->columns[c]->name, c + 1 < nc ? " " : "");
        }
        ds_put_char(o, '\n');
        for (size_t c = 0; c < nc; c++) {
            ds_put_char_multiple(o, '-', width[c]);
            if (c + 1 < nc) {
                ds_put_char(o, ' ');
            }
        }
        ds_put_char(o, '\n');
    }
    for (size_t r = 0; r < nr; r++) {
        for (size_t c = 0; c < nc; c++) {
            ds_put_format(o, "%-*s%s", c + 1 < nc ? (int) width[c] : 0,
                          cells[r * nc + c], c + 1 < nc ? " " : "");
            free(cells[r * nc + c]);
        }
        ds_put_char(o, '\n');
    }
    free(cells);
    free(width);
}

static void
print_json(struct vsctl_table_out *out, struct ds *o)
{
    struct json_object *top = json_object_new_object();
    struct json_object *data = json_object_new_array();
    struct json_object *head = json_object_new_array();

    for (size_t r = 0; r < out->n_rows; r++) {
        struct json_object *row = json_object_new_array();
        for (size_t c = 0; c < out->n_columns; c++) {
            const struct idl_column *col = out->columns[c];
            json_object_array_add(row, idl_datum_to_json(
                                      idl_row_get(out->rows[r], col),
                                      &col->type, NULL, NULL));
        }
        json_object_array_add(data, row);
    }
    for (size_t c = 0; c < out->n_columns; c++) {
        json_object_array_add(head,
                              json_object_new_string(out->columns[c]->name));
    }
    json_object_object_add(top, "data", data);
    json_object_object_add(top, "headings", head);
    ds_put_format(o, "%s\n", json_object_to_json_string_ext(
                      top, JSON_C_TO_STRING_PLAIN
                      | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(top);
}

void
vsctl_table_print(struct vsctl_table_out *out, enum vsctl_format fmt,
                  struct ds *o)
{
    switch (fmt) {
    case FMT_TABLE:
        print_table(out, o);
        break;
    case FMT_JSON:
        print_json(out, o);
        break;
    case FMT_CSV:
        if (vsctl_headings) {
            for (size_t c = 0; c < out->n_columns; c++) {
                ds_put_format(o, "%s%s", c ? "," : "", out->columns[c]->name);
            }
            ds_put_char(o, '\n');
        }
        for (size_t r = 0; r < out->n_rows; r++) {
            for (size_t c = 0; c < out->n_columns; c++) {
                struct ds s = DS_EMPTY_INITIALIZER;
                cell_text(out->rows[r], out->columns[c], FMT_CSV, &s);
                if (c) {
                    ds_put_char(o, ',');
                }
                put_csv(o, ds_cstr(&s));
                ds_destroy(&s);
            }
            ds_put_char(o, '\n');
        }
        break;
    case FMT_LIST:
    case FMT_BARE:
        for (size_t r = 0; r < out->n_rows; r++) {
            if (r) {
                ds_put_char(o, '\n');
            }
            for (size_t c = 0; c < out->n_columns; c++) {
                if (fmt == FMT_LIST) {
                    ds_put_format(o, "%-20s: ", out->columns[c]->name);
                }
                cell_text(out->rows[r], out->columns[c], fmt, o);
                ds_put_char(o, '\n');
            }
        }
        break;
    }
}
