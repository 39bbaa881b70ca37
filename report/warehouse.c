/* warehouse.c — write a run into the PostgreSQL warehouse (zf_warehouse.h).
 *
 * Everything a run stores goes in one transaction: a failure, a lost connection or a killed
 * process leaves nothing of it.  Values always travel as bound parameters or COPY data; the
 * only names put into SQL text are table and column names from the definitions, quoted with
 * PQescapeIdentifier. */
#include "zf_warehouse.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_csvout.h"
#include "zf_fs.h"
#include "zf_sha256.h"
#include "zf_text.h"
#include "zf_value.h"

/* pg_advisory_xact_lock key that serializes writers of the warehouse ("zhongfu") */
#define LOCK_KEY "34473843346327669"

/* ---- small libpq helpers -------------------------------------------------------------- */

static zf_status pg_fail(zf_error *err, PGconn *c, const PGresult *res, const char *what)
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
static zf_status q(PGconn *c, const char *sql, int n, const char *const *vals, PGresult **out,
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
        zf_status st = pg_fail(err, c, res, what);
        PQclear(res);
        return st;
    }
    if (out)
        *out = res;
    else
        PQclear(res);
    return ZF_OK;
}

static zf_status q0(PGconn *c, const char *sql, zf_error *err)
{
    return q(c, sql, 0, NULL, NULL, err);
}

static void rollback(PGconn *c)
{
    if (c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE)
        PQclear(PQexec(c, "ROLLBACK"));
}

zf_status zf_warehouse_connect(PGconn **out, const char *store, zf_error *err)
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
        zf_status st = pg_fail(err, c, NULL, "cannot connect to the warehouse");
        PQfinish(c);
        return st;
    }
    zf_status st = q0(c, "SET client_min_messages = warning", err);
    if (st != ZF_OK) {
        PQfinish(c);
        return st;
    }
    *out = c;
    return ZF_OK;
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

/* ---- migrations ----------------------------------------------------------------------- */

static zf_status read_all(const char *path, char **out, size_t *len, zf_error *err)
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

typedef struct migration {
    int version;
    char name[256];
} migration;

static int by_version(const void *a, const void *b)
{
    const migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* NNN_name.sql files of dir, sorted by NNN. */
static zf_status list_migrations(const char *dir, migration **out, size_t *n, zf_error *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return zf_error_set(err, ZF_ERR_IO, dir, 0, 0, "cannot open the migrations directory: %s",
                            strerror(errno));
    size_t cap = 16, count = 0;
    migration *list = malloc(cap * sizeof *list);
    zf_status st = list ? ZF_OK : zf_error_set(err, ZF_ERR_NOMEM, dir, 0, 0, "out of memory");
    struct dirent *de;
    while (st == ZF_OK && (de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        size_t len = strlen(nm), digits = 0;
        while (isdigit((unsigned char)nm[digits]))
            digits++;
        if (!digits || nm[digits] != '_' || len < 5 || strcmp(nm + len - 4, ".sql") != 0 ||
            len >= sizeof list->name)
            continue;
        if (count == cap) {
            migration *grown = realloc(list, (cap *= 2) * sizeof *list);
            if (!grown) {
                st = zf_error_set(err, ZF_ERR_NOMEM, dir, 0, 0, "out of memory");
                break;
            }
            list = grown;
        }
        list[count].version = atoi(nm);
        snprintf(list[count].name, sizeof list[count].name, "%s", nm);
        count++;
    }
    closedir(d);
    if (st == ZF_OK) {
        qsort(list, count, sizeof *list, by_version);
        for (size_t i = 0; i + 1 < count && st == ZF_OK; i++)
            if (list[i].version == list[i + 1].version)
                st = zf_error_set(err, ZF_ERR_DEFINITION, dir, 0, 0,
                                  "two migrations have version %d: %s and %s", list[i].version,
                                  list[i].name, list[i + 1].name);
        if (st == ZF_OK && count == 0)
            st = zf_error_set(err, ZF_ERR_NOT_FOUND, dir, 0, 0,
                              "no migrations (NNN_name.sql) in this directory");
    }
    if (st != ZF_OK) {
        free(list);
        return st;
    }
    *out = list;
    *n = count;
    return ZF_OK;
}

static const char create_schema_version[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " applied_by text NOT NULL DEFAULT current_user)";

zf_status zf_warehouse_version(PGconn *conn, int *version, zf_error *err)
{
    *version = 0;
    PGresult *res = NULL;
    zf_status st = q(conn, "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL, &res, err);
    if (st != ZF_OK)
        return st;
    bool exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!exists)
        return ZF_OK;
    if ((st = q(conn, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, &res, err)) != ZF_OK)
        return st;
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return ZF_OK;
}

static zf_status apply_one(PGconn *conn, const char *dir, const migration *m, FILE *log, int *applied,
                           zf_error *err)
{
    char path[4096], hex[65], vtext[16];
    char *sql = NULL;
    size_t len = 0;
    PGresult *res = NULL;
    zf_status st = zf_path_join(path, sizeof path, dir, m->name);
    if (st == ZF_OK)
        st = read_all(path, &sql, &len, err);
    else
        zf_error_set(err, st, dir, 0, 0, "path too long");
    if (st != ZF_OK)
        return st;
    zf_sha256_buffer(sql, len, hex);
    snprintf(vtext, sizeof vtext, "%d", m->version);
    const char *const key[] = {LOCK_KEY};
    const char *const ver[] = {vtext};
    if ((st = q0(conn, "BEGIN", err)) != ZF_OK ||
        (st = q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) != ZF_OK ||
        (st = q(conn, "SELECT sha256 FROM schema_version WHERE version = $1::integer", 1, ver, &res,
                err)) != ZF_OK)
        goto cleanup;
    if (PQntuples(res) > 0) {
        if (strcmp(PQgetvalue(res, 0, 0), hex) != 0)
            st = zf_error_set(err, ZF_ERR_DEFINITION, path, 0, 0,
                              "migration %d was applied with different content (sha256 %.12s…, the "
                              "file now has %.12s…): never edit an applied migration, add a new one",
                              m->version, PQgetvalue(res, 0, 0), hex);
        goto cleanup;
    }
    /* the migration's own text: several statements, run as one simple query in this transaction */
    PGresult *r2 = PQexec(conn, sql);
    if (PQresultStatus(r2) != PGRES_COMMAND_OK && PQresultStatus(r2) != PGRES_TUPLES_OK) {
        st = pg_fail(err, conn, r2, m->name);
        PQclear(r2);
        goto cleanup;
    }
    PQclear(r2);
    const char *const ins[] = {vtext, m->name, hex};
    if ((st = q(conn, "INSERT INTO schema_version (version, name, sha256) VALUES ($1::integer, $2, $3)",
                3, ins, NULL, err)) != ZF_OK)
        goto cleanup;
    if ((st = q0(conn, "COMMIT", err)) != ZF_OK)
        goto cleanup;
    if (applied)
        (*applied)++;
    if (log)
        fprintf(log, "applied %s\n", m->name);
cleanup:
    PQclear(res);
    if (st != ZF_OK)
        rollback(conn);
    else if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        st = q0(conn, "COMMIT", err);
    free(sql);
    return st;
}

zf_status zf_warehouse_migrate(PGconn *conn, const char *sql_dir, FILE *log, int *applied, zf_error *err)
{
    if (applied)
        *applied = 0;
    migration *list = NULL;
    size_t n = 0;
    zf_status st = list_migrations(sql_dir, &list, &n, err);
    if (st != ZF_OK)
        return st;
    const char *const key[] = {LOCK_KEY};
    /* schema_version itself, under the lock, so two migrators do not race to create it */
    if ((st = q0(conn, "BEGIN", err)) == ZF_OK &&
        (st = q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) == ZF_OK &&
        (st = q0(conn, create_schema_version, err)) == ZF_OK)
        st = q0(conn, "COMMIT", err);
    if (st != ZF_OK)
        rollback(conn);
    for (size_t i = 0; i < n && st == ZF_OK; i++)
        st = apply_one(conn, sql_dir, &list[i], log, applied, err);
    free(list);
    return st;
}

/* ---- definitions and record tables ------------------------------------------------------ */

/* PQescapeIdentifier into a malloc'ed string the caller frees with free() */
static char *ident(PGconn *c, const char *name)
{
    char *e = PQescapeIdentifier(c, name, strlen(name));
    if (!e)
        return NULL;
    char *copy = strdup(e);
    PQfreemem(e);
    return copy;
}

static zf_status check_column_name(const zf_source *src, const char *name, zf_error *err)
{
    if (strlen(name) > 63)
        return zf_error_set(err, ZF_ERR_DEFINITION, src->id, 0, 0,
                            "column \"%s\" is longer than PostgreSQL's 63-byte identifiers", name);
    if (!strcmp(name, "run_id") || !strcmp(name, "rec_no"))
        return zf_error_set(err, ZF_ERR_DEFINITION, src->id, 0, 0,
                            "column \"%s\" clashes with the warehouse's own column", name);
    return ZF_OK;
}

static zf_status ensure_record_table(PGconn *c, const zf_source *src, zf_error *err)
{
    char table[256];
    zf_warehouse_record_table(src, table, sizeof table);
    char *qt = ident(c, table);
    char *sql = NULL;
    PGresult *res = NULL;
    zf_status st = ZF_OK;
    if (!qt) {
        st = pg_fail(err, c, NULL, "cannot quote a table name");
        goto cleanup;
    }
    const char *const p1[] = {qt};
    st = q(c,
           "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
           "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
           1, p1, &res, err);
    if (st != ZF_OK)
        goto cleanup;
    int have = PQntuples(res);
    size_t cap = 512 + 64 * strlen(qt);
    for (size_t i = 0; i < src->n_columns; i++)
        cap += 2 * strlen(src->columns[i].name) + 64;
    if (!(sql = malloc(cap))) {
        st = zf_error_set(err, ZF_ERR_NOMEM, src->id, 0, 0, "out of memory");
        goto cleanup;
    }
    if (have == 0) {
        size_t n = (size_t)snprintf(sql, cap,
                                    "CREATE TABLE %s (run_id text NOT NULL, "
                                    "rec_no bigint NOT NULL",
                                    qt);
        for (size_t i = 0; i < src->n_columns && st == ZF_OK; i++) {
            if ((st = check_column_name(src, src->columns[i].name, err)) != ZF_OK)
                break;
            char *qc = ident(c, src->columns[i].name);
            if (!qc) {
                st = pg_fail(err, c, NULL, "cannot quote a column name");
                break;
            }
            n += (size_t)snprintf(sql + n, cap - n, ", %s %s", qc, zf_warehouse_sql_type(src->columns[i].type));
            free(qc);
        }
        if (st == ZF_OK) {
            snprintf(sql + n, cap - n, ", PRIMARY KEY (run_id, rec_no))");
            st = q0(c, sql, err);
        }
        goto cleanup;
    }
    /* the table exists: add columns the definitions gained, refuse a changed type */
    for (size_t i = 0; i < src->n_columns && st == ZF_OK; i++) {
        const zf_column *col = &src->columns[i];
        const char *want = zf_warehouse_sql_type(col->type);
        int found = -1;
        for (int r = 0; r < have && found < 0; r++)
            if (!strcmp(PQgetvalue(res, r, 0), col->name))
                found = r;
        if (found >= 0) {
            if (strcmp(PQgetvalue(res, found, 1), want) != 0)
                st = zf_error_set(err, ZF_ERR_DEFINITION, table, 0, 0,
                                  "column \"%s\" is %s in the warehouse but the definition makes it %s: "
                                  "rename the old table or convert the column by hand",
                                  col->name, PQgetvalue(res, found, 1), want);
            continue;
        }
        if ((st = check_column_name(src, col->name, err)) != ZF_OK)
            break;
        char *qc = ident(c, col->name);
        if (!qc) {
            st = pg_fail(err, c, NULL, "cannot quote a column name");
            break;
        }
        snprintf(sql, cap, "ALTER TABLE %s ADD COLUMN %s %s", qt, qc, want);
        free(qc);
        st = q0(c, sql, err);
    }
cleanup:
    PQclear(res);
    free(sql);
    free(qt);
    return st;
}

static char *years_array(const zf_plan *p, const size_t *idx, size_t n, char *buf, size_t size)
{
    size_t k = (size_t)snprintf(buf, size, "{");
    for (size_t i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%d", i ? "," : "", p->years[idx ? idx[i] : i]);
    if (k < size)
        snprintf(buf + k, size - k, "}");
    return buf;
}

static char *columns_json(const zf_source *src)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < src->n_columns; i++) {
        const zf_column *col = &src->columns[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "name", col->name);
        cJSON_AddStringToObject(o, "type", zf_coltype_name(col->type));
        cJSON_AddStringToObject(o, "sql_type", zf_warehouse_sql_type(col->type));
        cJSON_AddBoolToObject(o, "required", col->required);
        cJSON_AddBoolToObject(o, "personal", col->personal);
    }
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    return text;
}

/* plans, plan_indicators, plan_sources (once per definition hash) and the record tables */
static zf_status store_definitions(PGconn *c, const zf_defs *defs, zf_error *err)
{
    const zf_plan *p = &defs->plan;
    char years[512];
    years_array(p, NULL, p->n_years, years, sizeof years);
    const char *const pv[] = {p->id, defs->plan_sha256, p->title, p->source_set_id, p->region_tree_id, years};
    PGresult *res = NULL;
    zf_status st = q(c,
                     "INSERT INTO plans (plan, plan_sha256, title, source_set, region_tree, years) "
                     "VALUES ($1, $2, $3, $4, $5, $6::integer[]) ON CONFLICT DO NOTHING",
                     6, pv, &res, err);
    if (st != ZF_OK)
        return st;
    bool fresh = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    for (size_t i = 0; fresh && i < p->n_indicators && st == ZF_OK; i++) {
        const zf_indicator *ind = &p->indicators[i];
        char num[16], units[2048] = "", parts[2048] = "{";
        snprintf(num, sizeof num, "%d", ind->number);
        size_t k = 0;
        for (size_t u = 0; u < ind->n_units && k < sizeof units; u++)
            k += (size_t)snprintf(units + k, sizeof units - k, "%s%s", u ? "、" : "", ind->units[u]);
        units[zf_utf8_complete(units, strlen(units))] = '\0';   /* too many units: cut between characters */
        /* the parts as an array literal: every element quoted, " and \ escaped */
        k = 1;
        for (size_t t = 0; ind->n_parts > 1 && t < ind->n_parts; t++) {
            if (t && k + 1 < sizeof parts)
                parts[k++] = ',';
            if (k + 1 < sizeof parts)
                parts[k++] = '"';
            for (const char *s = ind->parts[t].name; *s && k + 4 < sizeof parts; s++) {
                if (*s == '"' || *s == '\\')
                    parts[k++] = '\\';
                parts[k++] = *s;
            }
            if (k + 2 < sizeof parts)
                parts[k++] = '"';
        }
        parts[k++] = '}';
        parts[k] = '\0';
        const char *const iv[] = {p->id, defs->plan_sha256, num, ind->category ? ind->category : "",
                                  ind->name, ind->gloss ? ind->gloss : "", units, parts};
        st = q(c,
               "INSERT INTO plan_indicators (plan, plan_sha256, indicator, category, name, gloss, units, parts) "
               "VALUES ($1, $2, $3::integer, $4, $5, $6, $7, $8::text[]) ON CONFLICT DO NOTHING",
               8, iv, NULL, err);
    }
    for (size_t s = 0; fresh && s < defs->sources.n_sources && st == ZF_OK; s++) {
        const zf_source *src = &defs->sources.sources[s];
        char table[256];
        char *cols = columns_json(src);
        if (!cols)
            return zf_error_set(err, ZF_ERR_NOMEM, src->id, 0, 0, "out of memory");
        const char *const sv[] = {p->id, defs->plan_sha256, src->id, src->title, src->unit,
                                  src->kind == ZF_SOURCE_POSTGRES ? "postgres" : "file",
                                  zf_warehouse_record_table(src, table, sizeof table), cols};
        st = q(c,
               "INSERT INTO plan_sources (plan, plan_sha256, source, title, unit, kind, record_table, columns) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING",
               8, sv, NULL, err);
        cJSON_free(cols);
    }
    for (size_t s = 0; s < defs->sources.n_sources && st == ZF_OK; s++)
        st = ensure_record_table(c, &defs->sources.sources[s], err);
    return st;
}

static zf_status check_version(PGconn *c, zf_error *err)
{
    int v = 0;
    zf_status st = zf_warehouse_version(c, &v, err);
    if (st == ZF_OK && v < ZF_WAREHOUSE_SCHEMA)
        st = zf_error_set(err, ZF_ERR_EXTERNAL, "warehouse", 0, 0,
                          "the warehouse is at schema version %d, this zhongfu needs %d: run "
                          "`zhongfu db migrate --store …` first",
                          v, ZF_WAREHOUSE_SCHEMA);
    return st;
}

zf_status zf_warehouse_prepare(PGconn *conn, const zf_defs *defs, zf_error *err)
{
    const char *const key[] = {LOCK_KEY};
    zf_status st = check_version(conn, err);
    if (st == ZF_OK && (st = q0(conn, "BEGIN", err)) == ZF_OK &&
        (st = q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) == ZF_OK &&
        (st = store_definitions(conn, defs, err)) == ZF_OK)
        st = q0(conn, "COMMIT", err);
    if (st != ZF_OK)
        rollback(conn);
    return st;
}

/* ---- COPY ------------------------------------------------------------------------------- */

typedef enum fault_kind { FAULT_NONE, FAULT_FAIL, FAULT_KILL, FAULT_STALL } fault_kind;

typedef struct fault {
    fault_kind kind;
    unsigned seconds;
    bool fired;
} fault;

static fault fault_from_env(void)
{
    fault f = {FAULT_NONE, 0, false};
    const char *e = getenv("ZF_WAREHOUSE_FAULT");
    if (!e || !*e)
        return f;
    if (!strcmp(e, "fail"))
        f.kind = FAULT_FAIL;
    else if (!strcmp(e, "kill"))
        f.kind = FAULT_KILL;
    else if (!strncmp(e, "stall:", 6)) {
        f.kind = FAULT_STALL;
        f.seconds = (unsigned)atoi(e + 6);
    }
    return f;
}

/* Prefixes every CSV record of a file with "run_id,seq," (and drops the header record), tracking
 * quotes so a line break inside a quoted field is not taken for the end of a record. */
typedef struct copy_feed {
    const char *run_id;
    long long seq;
    bool start, quoted, header;
    char *out;
    size_t len, cap;
} copy_feed;

static zf_status put(PGconn *c, copy_feed *f, zf_error *err)
{
    if (f->len && PQputCopyData(c, f->out, (int)f->len) != 1)
        return pg_fail(err, c, NULL, "COPY");
    f->len = 0;
    return ZF_OK;
}

static zf_status feed(PGconn *c, copy_feed *f, const char *in, size_t n, zf_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char b = in[i];
        if (f->header) {
            if (b == '"')
                f->quoted = !f->quoted;
            else if (b == '\n' && !f->quoted)
                f->header = false, f->start = true;
            continue;
        }
        if (f->len + 64 > f->cap) {
            zf_status st = put(c, f, err);
            if (st != ZF_OK)
                return st;
        }
        if (f->start) {
            f->len += (size_t)snprintf(f->out + f->len, f->cap - f->len, "%s,%lld,", f->run_id, ++f->seq);
            f->start = false;
        }
        f->out[f->len++] = b;
        if (b == '"')
            f->quoted = !f->quoted;
        else if (b == '\n' && !f->quoted)
            f->start = true;
    }
    return ZF_OK;
}

/* COPY the records of path (CSV, header first) with sql, each prefixed by run_id and a sequence
 * number.  expect_header: the header the file must start with (NULL: any).  *rows = records. */
static zf_status copy_file(PGconn *c, const char *sql, const char *path, const char *run_id,
                           const char *expect_header, fault *flt, long long *rows, zf_error *err)
{
    *rows = 0;
    FILE *in = fopen(path, "rb");
    if (!in)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    copy_feed f = {.run_id = run_id, .header = true, .cap = 1 << 16};
    char *buf = malloc(1 << 16);
    f.out = malloc(f.cap);
    zf_status st = ZF_OK;
    bool copying = false;
    PGresult *res = NULL;
    if (!buf || !f.out) {
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    if (expect_header) {
        size_t hl = strlen(expect_header);
        size_t got = fread(buf, 1, hl, in);
        if (got != hl || memcmp(buf, expect_header, hl) != 0) {
            st = zf_error_set(err, ZF_ERR_INTERNAL, path, 1, 0,
                              "the accepted records do not have the columns of the definition");
            goto cleanup;
        }
        rewind(in);
    }
    res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        st = pg_fail(err, c, res, "COPY");
        PQclear(res);
        goto cleanup;
    }
    PQclear(res);
    copying = true;
    size_t n;
    while ((n = fread(buf, 1, 1 << 16, in)) > 0) {
        if ((st = feed(c, &f, buf, n, err)) != ZF_OK)
            goto cleanup;
        if (flt && !flt->fired && f.len) {
            /* test hook: something goes wrong once the first chunk of records is on its way */
            flt->fired = true;
            if ((st = put(c, &f, err)) != ZF_OK)
                goto cleanup;
            while (PQflush(c) > 0)
                ;
            if (flt->kind == FAULT_KILL)
                raise(SIGKILL);
            if (flt->kind == FAULT_STALL)
                sleep(flt->seconds);
            if (flt->kind == FAULT_FAIL) {
                st = zf_error_set(err, ZF_ERR_EXTERNAL, path, 0, 0,
                                  "injected failure (ZF_WAREHOUSE_FAULT=fail) after the first COPY chunk");
                goto cleanup;
            }
        }
    }
    if (ferror(in)) {
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
        goto cleanup;
    }
    if (!f.start && !f.header)   /* a last record without its line end */
        f.out[f.len++] = '\n';
    if ((st = put(c, &f, err)) != ZF_OK)
        goto cleanup;
    copying = false;
    if (PQputCopyEnd(c, NULL) != 1) {
        st = pg_fail(err, c, NULL, "COPY");
        goto cleanup;
    }
    while ((res = PQgetResult(c)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && st == ZF_OK)
            st = pg_fail(err, c, res, path);
        PQclear(res);
    }
    *rows = f.seq;
cleanup:
    if (copying) {
        PQputCopyEnd(c, "zhongfu stopped the load");
        while ((res = PQgetResult(c)) != NULL)
            PQclear(res);
    }
    fclose(in);
    free(buf);
    free(f.out);
    return st;
}

/* The header zf_accepted_csv_header writes for src, as a string to free(). */
static char *accepted_header(const zf_source *src)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return NULL;
    zf_accepted_csv_header(m, src);
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static zf_status copy_records(PGconn *c, const zf_run *run, size_t s, const char *dir, fault *flt,
                              zf_error *err)
{
    const zf_source *src = &run->defs->sources.sources[s];
    int64_t expected = 0;
    bool read_any = false;
    for (size_t i = 0; i < run->n_files; i++) {
        if (run->files[i].source != s)
            continue;
        expected += run->files[i].rows_accepted;
        read_any |= strcmp(run->files[i].status, "missing") != 0;
    }
    char table[256], path[4096], name[300];
    snprintf(name, sizeof name, "%s.csv", src->id);
    if (zf_path_join(path, sizeof path, dir, name) != ZF_OK)
        return zf_error_set(err, ZF_ERR_USAGE, dir, 0, 0, "path too long");
    if (!read_any)   /* no input: no records (and an old file there is not this run's) */
        return ZF_OK;
    if (access(path, F_OK) != 0 && expected == 0)
        return ZF_OK;
    char *qt = ident(c, zf_warehouse_record_table(src, table, sizeof table));
    char *header = accepted_header(src);
    size_t cap = 256 + (qt ? strlen(qt) : 0);
    for (size_t i = 0; i < src->n_columns; i++)
        cap += 2 * strlen(src->columns[i].name) + 8;
    char *sql = malloc(cap);
    zf_status st = ZF_OK;
    long long rows = 0;
    if (!qt || !header || !sql) {
        st = zf_error_set(err, ZF_ERR_NOMEM, src->id, 0, 0, "out of memory");
        goto cleanup;
    }
    size_t n = (size_t)snprintf(sql, cap, "COPY %s (run_id, rec_no", qt);
    for (size_t i = 0; i < src->n_columns; i++) {
        char *qc = ident(c, src->columns[i].name);
        if (!qc) {
            st = pg_fail(err, c, NULL, "cannot quote a column name");
            goto cleanup;
        }
        n += (size_t)snprintf(sql + n, cap - n, ", %s", qc);
        free(qc);
    }
    snprintf(sql + n, cap - n, ") FROM STDIN WITH (FORMAT csv)");
    st = copy_file(c, sql, path, run->run_id, header, flt, &rows, err);
    if (st == ZF_OK && rows != expected)
        st = zf_error_set(err, ZF_ERR_INTERNAL, path, 0, 0,
                          "%lld accepted records to store but quality counts %lld", rows, (long long)expected);
cleanup:
    free(sql);
    free(header);
    free(qt);
    return st;
}

/* ---- the run ---------------------------------------------------------------------------- */

static zf_status delete_run(PGconn *c, const zf_run *run, zf_error *err)
{
    const char *const id[] = {run->run_id};
    static const char *const fixed[] = {
        "DELETE FROM results WHERE run_id = $1",  "DELETE FROM rejects WHERE run_id = $1",
        "DELETE FROM run_inputs WHERE run_id = $1", "DELETE FROM policy_verdicts WHERE run_id = $1"};
    zf_status st = ZF_OK;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed && st == ZF_OK; i++)
        st = q(c, fixed[i], 1, id, NULL, err);
    /* every record table any stored definition names (also of sources since dropped); not a
     * scan of pg_class, which on a Citus node could list shards */
    PGresult *res = NULL;
    if (st == ZF_OK)
        st = q(c,
               "SELECT DISTINCT record_table FROM plan_sources "
               "WHERE to_regclass(quote_ident(record_table)) IS NOT NULL ORDER BY 1",
               0, NULL, &res, err);
    for (int r = 0; st == ZF_OK && r < PQntuples(res); r++) {
        char *qt = ident(c, PQgetvalue(res, r, 0));
        if (!qt) {
            st = pg_fail(err, c, NULL, "cannot quote a table name");
            break;
        }
        char sql[512];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE run_id = $1", qt);
        free(qt);
        st = q(c, sql, 1, id, NULL, err);
    }
    PQclear(res);
    if (st == ZF_OK)
        st = q(c, "DELETE FROM runs WHERE run_id = $1", 1, id, NULL, err);
    return st;
}

static zf_status insert_run(PGconn *c, const zf_run *run, const char *manifest, zf_error *err)
{
    const zf_defs *d = run->defs;
    const char *const id[] = {run->run_id};
    PGresult *res = NULL;
    zf_status st = q(c, "SELECT first_stored, stores + 1 FROM runs WHERE run_id = $1", 1, id, &res, err);
    if (st != ZF_OK)
        return st;
    char first[64] = "", stores[16] = "1";
    bool again = PQntuples(res) > 0;
    if (again) {
        snprintf(first, sizeof first, "%s", PQgetvalue(res, 0, 0));
        snprintf(stores, sizeof stores, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    if ((st = delete_run(c, run, err)) != ZF_OK)
        return st;
    int64_t read = 0, acc = 0, rej = 0;
    for (size_t i = 0; i < run->n_files; i++) {
        read += run->files[i].rows_read;
        acc += run->files[i].rows_accepted;
        rej += run->files[i].rows_rejected;
    }
    char years[512], nread[24], nacc[24], nrej[24], norph[24];
    years_array(&d->plan, run->years, run->n_years, years, sizeof years);
    snprintf(nread, sizeof nread, "%lld", (long long)read);
    snprintf(nacc, sizeof nacc, "%lld", (long long)acc);
    snprintf(nrej, sizeof nrej, "%lld", (long long)rej);
    snprintf(norph, sizeof norph, "%lld", (long long)run->orphans_total);
    const char *const v[] = {run->run_id, d->plan.id, d->plan_sha256, run->as_of_text, years,
                             run->version, run->incomplete ? "incomplete" : "complete",
                             d->regions.n_regions ? d->regions.regions[0].name : "",
                             nread, nacc, nrej, norph, manifest, again ? first : NULL, stores};
    return q(c,
             "INSERT INTO runs (run_id, plan, plan_sha256, as_of, years, version, status, top_region, "
             "rows_read, rows_accepted, rows_rejected, orphans, manifest, first_stored, stores) "
             "VALUES ($1, $2, $3, $4::date, $5::integer[], $6, $7, $8, $9::bigint, $10::bigint, "
             "$11::bigint, $12::bigint, $13::jsonb, coalesce($14::timestamptz, now()), $15::integer)",
             15, v, NULL, err);
}

static zf_status insert_inputs(PGconn *c, const zf_run *run, zf_error *err)
{
    zf_status st = ZF_OK;
    for (size_t i = 0; i < run->n_files && st == ZF_OK; i++) {
        const zf_input_file *f = &run->files[i];
        char size[24], r[24], a[24], j[24], o[24], reasons[2048];
        snprintf(size, sizeof size, "%llu", (unsigned long long)f->size);
        snprintf(r, sizeof r, "%lld", (long long)f->rows_read);
        snprintf(a, sizeof a, "%lld", (long long)f->rows_accepted);
        snprintf(j, sizeof j, "%lld", (long long)f->rows_rejected);
        snprintf(o, sizeof o, "%lld", (long long)f->orphans);
        size_t k = (size_t)snprintf(reasons, sizeof reasons, "{");
        for (int x = 1; x < ZF_REASON_COUNT && k < sizeof reasons; x++)
            if (f->reasons[x])
                k += (size_t)snprintf(reasons + k, sizeof reasons - k, "%s\"%s\": %lld", k > 1 ? ", " : "",
                                      zf_reason_code((zf_reason)x), (long long)f->reasons[x]);
        if (k < sizeof reasons)
            snprintf(reasons + k, sizeof reasons - k, "}");
        const char *const v[] = {run->run_id, run->defs->sources.sources[f->source].id, f->name,
                                 f->sha256, size, f->format ? f->format : "",
                                 f->encoding ? f->encoding : "", r, a, j, o, reasons, f->status,
                                 f->message ? f->message : ""};
        st = q(c,
               "INSERT INTO run_inputs (run_id, source, file, sha256, size, format, encoding, rows_read, "
               "rows_accepted, rows_rejected, orphans, reasons, status, message) VALUES ($1, $2, $3, $4, "
               "$5::bigint, $6, $7, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::jsonb, $13, $14)",
               14, v, NULL, err);
    }
    return st;
}

static zf_status insert_policies(PGconn *c, const zf_run *run, zf_error *err)
{
    static const char *const verdicts[] = {"pass", "fail", "no_data"};
    const zf_plan *p = &run->defs->plan;
    zf_status st = ZF_OK;
    for (size_t i = 0; i < run->n_policies && st == ZF_OK; i++) {
        const zf_policy_result *r = &run->policies[i];
        const zf_policy_rule *rule = &p->policies[r->rule];
        char year[16], a[96], b[96];
        snprintf(year, sizeof year, "%d", p->years[r->year]);
        if (r->has_a)
            zf_frac_sig(r->a, 15, a, sizeof a);
        if (r->has_b)
            zf_frac_sig(r->b, 15, b, sizeof b);
        const char *const v[] = {run->run_id, rule->id, year, rule->title ? rule->title : "",
                                 r->has_a ? a : NULL, r->has_b ? b : NULL, verdicts[r->verdict]};
        st = q(c,
               "INSERT INTO policy_verdicts (run_id, policy, year, title, a, b, verdict) "
               "VALUES ($1, $2, $3::integer, $4, $5::numeric, $6::numeric, $7)",
               7, v, NULL, err);
    }
    return st;
}

static zf_status store_in(PGconn *c, const zf_run *run, const zf_warehouse_input *in, const char *manifest,
                          zf_error *err)
{
    const char *const key[] = {LOCK_KEY};
    fault flt = fault_from_env();
    char path[4096];
    long long rows = 0;
    int64_t rejected = 0;
    for (size_t i = 0; i < run->n_files; i++)
        rejected += run->files[i].rows_rejected;
    zf_status st;
    if ((st = q0(c, "BEGIN", err)) != ZF_OK ||
        (st = q(c, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) != ZF_OK ||
        (st = store_definitions(c, run->defs, err)) != ZF_OK ||
        (st = insert_run(c, run, manifest, err)) != ZF_OK ||
        (st = insert_inputs(c, run, err)) != ZF_OK || (st = insert_policies(c, run, err)) != ZF_OK)
        return st;
    zf_path_join(path, sizeof path, in->stage_dir, "results.csv");
    st = copy_file(c,
                   "COPY results (run_id, seq, plan, indicator, part, year, region, numerator, denominator, "
                   "value, target, status) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (part, value, target, status))",
                   path, run->run_id, "plan,indicator,part,year,region,", NULL, &rows, err);
    if (st == ZF_OK && rows != (long long)run->n_results)
        st = zf_error_set(err, ZF_ERR_INTERNAL, path, 0, 0, "%lld rows stored, the run has %zu", rows,
                          run->n_results);
    if (st != ZF_OK)
        return st;
    zf_path_join(path, sizeof path, in->stage_dir, "rejects.csv");
    st = copy_file(c,
                   "COPY rejects (run_id, seq, source, file, line, column_name, value, reason) "
                   "FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (file, value))",
                   path, run->run_id, "source,file,line,column,value,reason", NULL, &rows, err);
    if (st == ZF_OK && rows != rejected)
        st = zf_error_set(err, ZF_ERR_INTERNAL, path, 0, 0, "%lld rejects stored, quality counts %lld", rows,
                          (long long)rejected);
    for (size_t s = 0; st == ZF_OK && s < run->defs->sources.n_sources; s++)
        st = copy_records(c, run, s, in->accepted_dir, flt.kind != FAULT_NONE ? &flt : NULL, err);
    if (st == ZF_OK && flt.kind == FAULT_FAIL && !flt.fired)
        st = zf_error_set(err, ZF_ERR_EXTERNAL, "warehouse", 0, 0, "injected failure (ZF_WAREHOUSE_FAULT=fail)");
    if (st == ZF_OK)
        st = q0(c, "COMMIT", err);
    return st;
}

zf_status zf_warehouse_store(const zf_run *run, const zf_warehouse_input *in, zf_error *err)
{
    PGconn *c = NULL;
    char *manifest = NULL;
    size_t mlen = 0;
    char path[4096];
    zf_status st = zf_path_join(path, sizeof path, in->stage_dir, "manifest.json");
    if (st == ZF_OK)
        st = read_all(path, &manifest, &mlen, err);
    if (st == ZF_OK)
        st = zf_warehouse_connect(&c, in->store, err);
    if (st == ZF_OK)
        st = check_version(c, err);
    if (st == ZF_OK)
        st = store_in(c, run, in, manifest, err);
    if (st != ZF_OK)
        rollback(c);
    PQfinish(c);
    free(manifest);
    return st;
}
