/* warehouse_schema.c — the warehouse's schema: the migrations of sql/migrations applied in
 * order and checked against their files (zf_warehouse_migrate, zf_warehouse_version), the
 * record table of every source made or completed from the definitions, and the definitions
 * themselves (plans, plan_indicators, plan_sources: zf_warehouse_prepare). */
#include "warehouse_internal.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zf_fs.h"
#include "zf_sha256.h"
#include "zf_text.h"

/* ---- migrations ----------------------------------------------------------------------- */

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
static ZF_MUST_CHECK zf_status list_migrations(const char *dir, migration **out, size_t *n, zf_error *err)
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

zf_status zf_wh_version(PGconn *conn, int *version, zf_error *err)
{
    *version = 0;
    PGresult *res = NULL;
    zf_status st = zf_wh_q(conn, "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL, &res, err);
    if (st != ZF_OK)
        return st;
    bool exists = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!exists)
        return ZF_OK;
    if ((st = zf_wh_q(conn, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, &res, err)) != ZF_OK)
        return st;
    *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status apply_one(PGconn *conn, const char *dir, const migration *m, FILE *log, int *applied,
                                         zf_error *err)
{
    char path[4096], hex[65], vtext[16];
    char *sql = NULL;
    size_t len = 0;
    PGresult *res = NULL;
    zf_status st = zf_path_join(path, sizeof path, dir, m->name, err);
    if (st == ZF_OK)
        st = zf_wh_read_all(path, &sql, &len, err);
    if (st != ZF_OK)
        return st;
    if ((st = zf_sha256_buffer(sql, len, hex)) != ZF_OK) {
        free(sql);
        return zf_error_set(err, st, path, 0, 0, "cannot compute the SHA-256 of this migration");
    }
    snprintf(vtext, sizeof vtext, "%d", m->version);
    const char *const key[] = {LOCK_KEY};
    const char *const ver[] = {vtext};
    if ((st = zf_wh_q0(conn, "BEGIN", err)) != ZF_OK ||
        (st = zf_wh_q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) != ZF_OK ||
        (st = zf_wh_q(conn, "SELECT sha256 FROM schema_version WHERE version = $1::integer", 1, ver, &res,
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
        st = zf_wh_pg_fail(err, conn, r2, m->name);
        PQclear(r2);
        goto cleanup;
    }
    PQclear(r2);
    const char *const ins[] = {vtext, m->name, hex};
    if ((st = zf_wh_q(conn, "INSERT INTO schema_version (version, name, sha256) VALUES ($1::integer, $2, $3)",
                      3, ins, NULL, err)) != ZF_OK)
        goto cleanup;
    if ((st = zf_wh_q0(conn, "COMMIT", err)) != ZF_OK)
        goto cleanup;
    if (applied)
        (*applied)++;
    if (log)
        fprintf(log, "applied %s\n", m->name);
cleanup:
    PQclear(res);
    if (st != ZF_OK)
        zf_wh_rollback(conn);
    else if (PQtransactionStatus(conn) != PQTRANS_IDLE)
        st = zf_wh_q0(conn, "COMMIT", err);
    free(sql);
    return st;
}

zf_status zf_warehouse_version(zf_warehouse *w, int *version, zf_error *err)
{
    return zf_wh_version(w->conn, version, err);
}

zf_status zf_warehouse_migrate(zf_warehouse *w, const char *sql_dir, FILE *log, int *applied, zf_error *err)
{
    PGconn *conn = w->conn;
    if (applied)
        *applied = 0;
    migration *list = NULL;
    size_t n = 0;
    zf_status st = list_migrations(sql_dir, &list, &n, err);
    if (st != ZF_OK)
        return st;
    const char *const key[] = {LOCK_KEY};
    /* schema_version itself, under the lock, so two migrators do not race to create it */
    if ((st = zf_wh_q0(conn, "BEGIN", err)) == ZF_OK &&
        (st = zf_wh_q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) == ZF_OK &&
        (st = zf_wh_q0(conn, create_schema_version, err)) == ZF_OK)
        st = zf_wh_q0(conn, "COMMIT", err);
    if (st != ZF_OK)
        zf_wh_rollback(conn);
    for (size_t i = 0; i < n && st == ZF_OK; i++)
        st = apply_one(conn, sql_dir, &list[i], log, applied, err);
    free(list);
    return st;
}


/* ---- definitions and record tables ------------------------------------------------------ */

static ZF_MUST_CHECK zf_status check_column_name(const zf_source *src, const char *name, zf_error *err)
{
    if (strlen(name) > 63)
        return zf_error_set(err, ZF_ERR_DEFINITION, src->id, 0, 0,
                            "column \"%s\" is longer than PostgreSQL's 63-byte identifiers", name);
    if (!strcmp(name, "run_id") || !strcmp(name, "rec_no"))
        return zf_error_set(err, ZF_ERR_DEFINITION, src->id, 0, 0,
                            "column \"%s\" clashes with the warehouse's own column", name);
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status ensure_record_table(PGconn *c, const zf_source *src, zf_error *err)
{
    char table[256];
    zf_warehouse_record_table(src, table, sizeof table);
    char *qt = zf_wh_ident(c, table);
    char *sql = NULL;
    PGresult *res = NULL;
    zf_status st = ZF_OK;
    if (!qt) {
        st = zf_wh_pg_fail(err, c, NULL, "cannot quote a table name");
        goto cleanup;
    }
    const char *const p1[] = {qt};
    st = zf_wh_q(c,
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
            char *qc = zf_wh_ident(c, src->columns[i].name);
            if (!qc) {
                st = zf_wh_pg_fail(err, c, NULL, "cannot quote a column name");
                break;
            }
            n += (size_t)snprintf(sql + n, cap - n, ", %s %s", qc, zf_warehouse_sql_type(src->columns[i].type));
            free(qc);
        }
        if (st == ZF_OK) {
            snprintf(sql + n, cap - n, ", PRIMARY KEY (run_id, rec_no))");
            st = zf_wh_q0(c, sql, err);
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
        char *qc = zf_wh_ident(c, col->name);
        if (!qc) {
            st = zf_wh_pg_fail(err, c, NULL, "cannot quote a column name");
            break;
        }
        snprintf(sql, cap, "ALTER TABLE %s ADD COLUMN %s %s", qt, qc, want);
        free(qc);
        st = zf_wh_q0(c, sql, err);
    }
cleanup:
    PQclear(res);
    free(sql);
    free(qt);
    return st;
}

char *zf_wh_years_array(const zf_plan *p, const size_t *idx, size_t n, char *buf, size_t size)
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
zf_status zf_wh_store_definitions(PGconn *c, const zf_defs *defs, zf_error *err)
{
    const zf_plan *p = &defs->plan;
    char years[512];
    zf_wh_years_array(p, NULL, p->n_years, years, sizeof years);
    const char *const pv[] = {p->id, defs->plan_sha256, p->title, p->source_set_id, p->region_tree_id, years};
    PGresult *res = NULL;
    zf_status st = zf_wh_q(c,
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
        st = zf_wh_q(c,
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
        st = zf_wh_q(c,
                     "INSERT INTO plan_sources (plan, plan_sha256, source, title, unit, kind, record_table, columns) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING",
                     8, sv, NULL, err);
        cJSON_free(cols);
    }
    for (size_t s = 0; s < defs->sources.n_sources && st == ZF_OK; s++)
        st = ensure_record_table(c, &defs->sources.sources[s], err);
    return st;
}

zf_status zf_wh_check_version(PGconn *c, zf_error *err)
{
    int v = 0;
    zf_status st = zf_wh_version(c, &v, err);
    if (st == ZF_OK && v < ZF_WAREHOUSE_SCHEMA)
        st = zf_error_set(err, ZF_ERR_EXTERNAL, "warehouse", 0, 0,
                          "the warehouse is at schema version %d, this zhongfu needs %d: run "
                          "`zhongfu db migrate --store …` first",
                          v, ZF_WAREHOUSE_SCHEMA);
    return st;
}

zf_status zf_warehouse_prepare(zf_warehouse *w, const zf_defs *defs, zf_error *err)
{
    PGconn *conn = w->conn;
    const char *const key[] = {LOCK_KEY};
    zf_status st = zf_wh_check_version(conn, err);
    if (st == ZF_OK && (st = zf_wh_q0(conn, "BEGIN", err)) == ZF_OK &&
        (st = zf_wh_q(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) == ZF_OK &&
        (st = zf_wh_store_definitions(conn, defs, err)) == ZF_OK)
        st = zf_wh_q0(conn, "COMMIT", err);
    if (st != ZF_OK)
        zf_wh_rollback(conn);
    return st;
}

