/* warehouse.c — the PostgreSQL warehouse of runs (zf_warehouse.h): connecting, and the small
 * libpq helpers the module's files share (report/warehouse_internal.h).  The schema is
 * warehouse_schema.c; storing a run, warehouse_load.c.
 *
 * Everything a run stores goes in one transaction: a failure, a lost connection or a killed
 * process leaves nothing of it.  Values always travel as bound parameters or COPY data; the
 * only names put into SQL text are table and column names from the definitions, quoted with
 * PQescapeIdentifier. */
#include "warehouse_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zf_text.h"

/* ---- small libpq helpers -------------------------------------------------------------- */

zf_status zf_wh_pg_fail(zf_error *err, PGconn *c, const PGresult *res, const char *what)
{
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !*msg)
        msg = c ? PQerrorMessage(c) : "no connection";
    char clean[800];
    snprintf(clean, sizeof clean, "%s", msg);
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    return zf_error_set(err, ZF_ERR_EXTERNAL, "warehouse", 0, 0, "%s: %s", what, clean);
}

/* Run sql with bound text parameters; *out (may be NULL) keeps the result of a query. */
zf_status zf_wh_q(PGconn *c, const char *sql, int n, const char *const *vals, PGresult **out,
                  zf_error *err)
{
    PGresult *res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        char what[160];
        snprintf(what, sizeof what, "%.*s", (int)zf_utf8_cut(sql, strlen(sql), 120), sql);
        for (char *p = what; *p; p++)
            if (*p == '\n')
                *p = ' ';
        zf_status st = zf_wh_pg_fail(err, c, res, what);
        PQclear(res);
        return st;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return ZF_OK;
}

zf_status zf_wh_q0(PGconn *c, const char *sql, zf_error *err)
{
    return zf_wh_q(c, sql, 0, NULL, NULL, err);
}

void zf_wh_rollback(PGconn *c)
{
    if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
}

zf_status zf_wh_connect(PGconn **out, const char *store, zf_error *err)
{
    *out = NULL;
    if (!store)
        return zf_error_set(err, ZF_ERR_USAGE, NULL, 0, 0, "no warehouse given");
    const char *conninfo = strcmp(store, "env") == 0 ? "" : store;
    const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
    const char *const vals[] = {conninfo, "zhongfu", "UTF8", NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c)
        return zf_error_set(err, ZF_ERR_NOMEM, "warehouse", 0, 0, "out of memory connecting");
    if (PQstatus(c) != CONNECTION_OK) {
        /* the message names host and database, never the password of a conninfo */
        zf_status st = zf_wh_pg_fail(err, c, NULL, "cannot connect to the warehouse");
        PQfinish(c);
        return st;
    }
    zf_status st = zf_wh_q0(c, "SET client_min_messages = warning", err);
    if (st != ZF_OK) {
        PQfinish(c);
        return st;
    }
    *out = c;
    return ZF_OK;
}

zf_status zf_warehouse_connect(zf_warehouse **out, const char *store, zf_error *err)
{
    *out = NULL;
    PGconn *c = NULL;
    zf_status st = zf_wh_connect(&c, store, err);
    if (st != ZF_OK)
        return st;
    zf_warehouse *w = malloc(sizeof *w);
    if (!w) {
        PQfinish(c);
        return zf_error_set(err, ZF_ERR_NOMEM, "warehouse", 0, 0, "out of memory connecting");
    }
    w->conn = c;
    *out = w;
    return ZF_OK;
}

void zf_warehouse_close(zf_warehouse *w)
{
    if (!w)
        return;
    PQfinish(w->conn);
    free(w);
}

const char *zf_warehouse_record_table(const zf_source *src, char *buf, size_t size)
{
    snprintf(buf, size, "rec_%s", src->id);
    return buf;
}

const char *zf_warehouse_sql_type(zf_coltype t)
{
    switch (t) {
    case ZF_COL_DATE: return "date";
    case ZF_COL_AMOUNT: return "numeric(18,2)";
    case ZF_COL_INTEGER: return "bigint";
    case ZF_COL_YESNO: return "boolean";
    case ZF_COL_DECIMAL: return "numeric(24,6)";
    default: return "text";
    }
}

/* PQescapeIdentifier into a malloc'ed string the caller frees with free() */
char *zf_wh_ident(PGconn *c, const char *name)
{
    char *e = PQescapeIdentifier(c, name, strlen(name));
    if (!e)
        return NULL;
    char *copy = strdup(e);
    PQfreemem(e);
    return copy;
}

zf_status zf_wh_read_all(const char *path, char **out, size_t *len, zf_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap);
    zf_status st = ZF_OK;
    while (buf) {
        if (n + 1 >= cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!buf)
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (ferror(f))
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
    fclose(f);
    if (st != ZF_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ZF_OK;
}
