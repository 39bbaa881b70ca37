/* postgres.c — a source that is a PostgreSQL query, behind the zf_reader interface
 * (zf_pgsource.h).  Rows stream in single-row mode; the query text is the definition's own and
 * is sent as one statement of the extended protocol (no parameters, no second statement). */
#include "zf_pgsource.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"
#include "zf_sha256.h"

typedef struct pg_impl {
    PGconn *conn;
    PGresult *pending;   /* the first row, read while opening */
    PGresult *held;      /* the row whose cells were handed out last */
    int *map;            /* wanted column i → result field, or -1 */
    int nfields;
    long line;
    bool done;
    zf_sha256 *hash;     /* of the canonical text, NULL once final */
    FILE *spool;         /* the canonical text is also written here (for the archive), or NULL */
    char hex[65];
    uint64_t size;
    char *text;          /* one row of canonical text */
    size_t len, cap;
} pg_impl;

/* ---- the canonical text: COPY … TO STDOUT WITH (FORMAT csv, HEADER) --------------------- */

static bool grow(pg_impl *p, size_t more)
{
    if (p->len + more <= p->cap)
        return true;
    size_t cap = p->cap ? p->cap : 256;
    while (cap < p->len + more)
        cap *= 2;
    char *t = realloc(p->text, cap);
    if (!t)
        return false;
    p->text = t;
    p->cap = cap;
    return true;
}

/* One field as COPY's CSV writes it: quoted when empty (to tell it from NULL), when it holds a
 * comma, quote, CR or LF, or when it is \. alone on a line. */
static bool put_field(pg_impl *p, const char *s, size_t n, bool single)
{
    bool quote = n == 0 || (single && n == 2 && s[0] == '\\' && s[1] == '.');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!grow(p, 2 * n + 3))
        return false;
    if (quote)
        p->text[p->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (quote && s[i] == '"')
            p->text[p->len++] = '"';
        p->text[p->len++] = s[i];
    }
    if (quote)
        p->text[p->len++] = '"';
    return true;
}

static bool hash_row(pg_impl *p, const PGresult *res, bool header)
{
    p->len = 0;
    bool single = p->nfields == 1;
    for (int f = 0; f < p->nfields; f++) {
        if (f) {
            if (!grow(p, 1))
                return false;
            p->text[p->len++] = ',';
        }
        if (header) {
            const char *name = PQfname(res, f);
            if (!put_field(p, name, strlen(name), single))
                return false;
        } else if (!PQgetisnull(res, 0, f)) {
            if (!put_field(p, PQgetvalue(res, 0, f), (size_t)PQgetlength(res, 0, f), single))
                return false;
        }
    }
    if (!grow(p, 1))
        return false;
    p->text[p->len++] = '\n';
    zf_sha256_update(p->hash, p->text, p->len);
    p->size += p->len;
    return !p->spool || fwrite(p->text, 1, p->len, p->spool) == p->len;
}

static void finish_hash(pg_impl *p)
{
    if (p->hash) {
        zf_sha256_final(p->hash, p->hex);
        p->hash = NULL;
    }
}

/* ---- the reader ------------------------------------------------------------------------ */

static void drain(PGconn *c)
{
    PGresult *res;
    while ((res = PQgetResult(c)) != NULL)
        PQclear(res);
}

static char *clean_message(PGconn *c, const PGresult *res, char *buf, size_t size)
{
    const char *m = res ? PQresultErrorMessage(res) : "";
    if (!m || !*m)
        m = PQerrorMessage(c);
    snprintf(buf, size, "%s", m);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return buf;
}

static ZF_MUST_CHECK zf_status pg_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    pg_impl *p = r->impl;
    *more = false;
    if (p->held) {
        PQclear(p->held);
        p->held = NULL;
    }
    if (p->done)
        return ZF_OK;
    PGresult *res = p->pending ? p->pending : PQgetResult(p->conn);
    p->pending = NULL;
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_TUPLES_OK;
    if (s == PGRES_TUPLES_OK) {   /* the end: an empty result closes single-row mode */
        PQclear(res);
        drain(p->conn);
        p->done = true;
        finish_hash(p);
        return ZF_OK;
    }
    if (s != PGRES_SINGLE_TUPLE) {
        char msg[800];
        clean_message(p->conn, res, msg, sizeof msg);
        PQclear(res);
        drain(p->conn);
        p->done = true;
        finish_hash(p);
        return zf_error_set(err, ZF_ERR_EXTERNAL, r->path, p->line + 1, 0,
                            "the query stopped after %ld rows: %s", p->line, msg);
    }
    p->held = res;
    p->line++;
    if (!hash_row(p, res, false))
        return zf_error_set(err, ZF_ERR_IO, r->path, p->line, 0, "out of memory, or cannot keep the rows for the archive");
    for (size_t i = 0; i < r->n_columns; i++) {
        int f = p->map[i];
        cells[i].numeric = false;
        if (f < 0 || PQgetisnull(res, 0, f)) {
            cells[i].ptr = "";
            cells[i].len = 0;
            continue;
        }
        const char *v = PQgetvalue(res, 0, f);
        size_t n = (size_t)PQgetlength(res, 0, f);
        zf_trim(&v, &n);
        cells[i].ptr = v;
        cells[i].len = n;
    }
    *line = p->line;
    *more = true;
    return ZF_OK;
}

static uint64_t pg_bytes(const zf_reader *r)
{
    const pg_impl *p = r->impl;
    return p ? p->size : 0;
}

static void pg_free(void *impl)
{
    pg_impl *p = impl;
    if (!p)
        return;
    PQclear(p->pending);
    PQclear(p->held);
    PQfinish(p->conn);   /* closing the connection also ends a query not read to its end */
    finish_hash(p);
    free(p->map);
    free(p->text);
    free(p);
}

static const zf_rd_ops pg_ops = {pg_next, pg_bytes, pg_free, NULL, NULL};

bool zf_reader_is_pg(const zf_reader *r)
{
    return r && r->ops == &pg_ops;
}

void zf_reader_pg_digest(zf_reader *r, char hex[65], uint64_t *size)
{
    pg_impl *p = zf_reader_is_pg(r) ? r->impl : NULL;
    if (!p) {
        hex[0] = '\0';
        *size = 0;
        return;
    }
    finish_hash(p);
    memcpy(hex, p->hex, 65);
    *size = p->size;
}

/* connect, make the session read-only and start the query in single-row mode */
static ZF_MUST_CHECK zf_status start(zf_reader *r, pg_impl *p, const char *conninfo, const char *query, zf_error *err)
{
    char msg[800];
    const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
    const char *const vals[] = {conninfo, "zhongfu", "UTF8", NULL};
    p->conn = PQconnectdbParams(keys, vals, 1);
    if (!p->conn)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory connecting");
    if (PQstatus(p->conn) != CONNECTION_OK)
        return zf_error_set(err, ZF_ERR_EXTERNAL, r->path, 0, 0, "cannot connect to the source database: %s",
                            clean_message(p->conn, NULL, msg, sizeof msg));
    PGresult *res = PQexec(p->conn, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok)
        clean_message(p->conn, res, msg, sizeof msg);
    PQclear(res);
    if (!ok)
        return zf_error_set(err, ZF_ERR_EXTERNAL, r->path, 0, 0, "cannot make the session read-only: %s", msg);
    /* the extended protocol runs exactly one statement: "SELECT …; DELETE …" is refused */
    if (!PQsendQueryParams(p->conn, query, 0, NULL, NULL, NULL, NULL, 0) || !PQsetSingleRowMode(p->conn))
        return zf_error_set(err, ZF_ERR_EXTERNAL, r->path, 0, 0, "cannot send the query: %s",
                            clean_message(p->conn, NULL, msg, sizeof msg));
    res = PQgetResult(p->conn);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK) {
        clean_message(p->conn, res, msg, sizeof msg);
        PQclear(res);
        drain(p->conn);
        return zf_error_set(err, ZF_ERR_EXTERNAL, r->path, 0, 0,
                            s == PGRES_COMMAND_OK ? "the query returns no rows: it must be a SELECT%s"
                                                  : "the query failed: %s",
                            s == PGRES_COMMAND_OK ? "" : msg);
    }
    p->pending = res;
    return ZF_OK;
}

zf_status zf_reader_open_pg(zf_reader **out, const char *name, const char *conninfo, const char *query,
                            const zf_reader_opts *opts, FILE *spool, zf_error *err)
{
    *out = NULL;
    if (!name)
        name = "postgres";
    if (!opts || (opts->n_columns && !opts->columns) || !query || !*query)
        return zf_error_set(err, ZF_ERR_DEFINITION, name, 0, 0, "a postgres source needs a query");
    if (!conninfo || !strcmp(conninfo, "env"))
        conninfo = "";
    zf_status st = ZF_OK;
    zf_reader *r = calloc(1, sizeof *r);
    pg_impl *p = calloc(1, sizeof *p);
    if (!r || !p || !(r->path = strdup(name)) || zf_rd_copy_columns(r, opts) != ZF_OK ||
        zf_sha256_new(&p->hash) != ZF_OK) {
        free(p);
        st = zf_error_set(err, ZF_ERR_NOMEM, name, 0, 0, "out of memory opening the source");
        goto cleanup;
    }
    r->format = ZF_FORMAT_AUTO;   /* no file format: headers are matched like CSV's */
    r->encoding = "";
    r->ops = &pg_ops;
    r->impl = p;
    p->spool = spool;
    if ((st = start(r, p, conninfo, query, err)) != ZF_OK)
        goto cleanup;
    p->nfields = PQnfields(p->pending);
    p->map = malloc((r->n_columns ? r->n_columns : 1) * sizeof *p->map);
    if (!p->map) {
        st = zf_error_set(err, ZF_ERR_NOMEM, name, 0, 0, "out of memory opening the source");
        goto cleanup;
    }
    for (size_t i = 0; i < r->n_columns; i++)
        p->map[i] = -1;
    for (int f = 0; f < p->nfields; f++) {
        const char *h = PQfname(p->pending, f);
        size_t len = strlen(h);
        zf_rd_trim_header(&h, &len);
        int i = zf_rd_match_header(r, h, len);
        if (i >= 0)
            p->map[i] = f;
    }
    if (!hash_row(p, p->pending, true)) {
        st = zf_error_set(err, ZF_ERR_IO, name, 0, 0, "out of memory, or cannot keep the rows for the archive");
        goto cleanup;
    }
    *out = r;
    r = NULL;
cleanup:
    zf_reader_free(r);
    return st;
}
