/* warehouse_load.c — storing a run (zf_warehouse_store): in one transaction, the run and its
 * manifest, its inputs, results, rejects and policy verdicts, and the accepted records of
 * every source loaded with COPY into its record table; a stored run of the same id is
 * deleted first.  The fault hook (ZF_WAREHOUSE_FAULT) fires after the first COPY chunk. */
#include "warehouse_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_csvout.h"
#include "zf_fs.h"
#include "zf_calendar.h"
#include "zf_record.h"

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

static ZF_MUST_CHECK zf_status put(PGconn *c, copy_feed *f, zf_error *err)
{
    if (f->len && PQputCopyData(c, f->out, (int)f->len) != 1)
        return zf_wh_pg_fail(err, c, NULL, "COPY");
    f->len = 0;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status feed(PGconn *c, copy_feed *f, const char *in, size_t n, zf_error *err)
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
static ZF_MUST_CHECK zf_status copy_file(PGconn *c, const char *sql, const char *path, const char *run_id,
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
        st = zf_wh_pg_fail(err, c, res, "COPY");
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
        st = zf_wh_pg_fail(err, c, NULL, "COPY");
        goto cleanup;
    }
    while ((res = PQgetResult(c)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && st == ZF_OK)
            st = zf_wh_pg_fail(err, c, res, path);
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

static ZF_MUST_CHECK zf_status copy_records(PGconn *c, const zf_run *run, size_t s, const char *dir, fault *flt,
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
    zf_status st = zf_path_join(path, sizeof path, dir, name, err);
    if (st != ZF_OK)
        return st;
    if (!read_any)   /* no input: no records (and an old file there is not this run's) */
        return ZF_OK;
    if (access(path, F_OK) != 0 && expected == 0)
        return ZF_OK;
    char *qt = zf_wh_ident(c, zf_warehouse_record_table(src, table, sizeof table));
    char *header = accepted_header(src);
    size_t cap = 256 + (qt ? strlen(qt) : 0);
    for (size_t i = 0; i < src->n_columns; i++)
        cap += 2 * strlen(src->columns[i].name) + 8;
    char *sql = malloc(cap);
    long long rows = 0;
    if (!qt || !header || !sql) {
        st = zf_error_set(err, ZF_ERR_NOMEM, src->id, 0, 0, "out of memory");
        goto cleanup;
    }
    size_t n = (size_t)snprintf(sql, cap, "COPY %s (run_id, rec_no", qt);
    for (size_t i = 0; i < src->n_columns; i++) {
        char *qc = zf_wh_ident(c, src->columns[i].name);
        if (!qc) {
            st = zf_wh_pg_fail(err, c, NULL, "cannot quote a column name");
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

static ZF_MUST_CHECK zf_status delete_run(PGconn *c, const zf_run *run, zf_error *err)
{
    const char *const id[] = {run->run_id};
    static const char *const fixed[] = {
        "DELETE FROM results WHERE run_id = $1",  "DELETE FROM rejects WHERE run_id = $1",
        "DELETE FROM run_inputs WHERE run_id = $1", "DELETE FROM policy_verdicts WHERE run_id = $1"};
    zf_status st = ZF_OK;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed && st == ZF_OK; i++)
        st = zf_wh_q(c, fixed[i], 1, id, NULL, err);
    /* every record table any stored definition names (also of sources since dropped); not a
     * scan of pg_class, which on a Citus node could list shards */
    PGresult *res = NULL;
    if (st == ZF_OK)
        st = zf_wh_q(c,
                     "SELECT DISTINCT record_table FROM plan_sources "
                     "WHERE to_regclass(quote_ident(record_table)) IS NOT NULL ORDER BY 1",
                     0, NULL, &res, err);
    for (int r = 0; st == ZF_OK && r < PQntuples(res); r++) {
        char *qt = zf_wh_ident(c, PQgetvalue(res, r, 0));
        if (!qt) {
            st = zf_wh_pg_fail(err, c, NULL, "cannot quote a table name");
            break;
        }
        char sql[512];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE run_id = $1", qt);
        free(qt);
        st = zf_wh_q(c, sql, 1, id, NULL, err);
    }
    PQclear(res);
    if (st == ZF_OK)
        st = zf_wh_q(c, "DELETE FROM runs WHERE run_id = $1", 1, id, NULL, err);
    return st;
}

static ZF_MUST_CHECK zf_status insert_run(PGconn *c, const zf_run *run, const char *manifest, zf_error *err)
{
    const zf_defs *d = run->defs;
    const char *const id[] = {run->run_id};
    PGresult *res = NULL;
    zf_status st = zf_wh_q(c, "SELECT first_stored, stores + 1 FROM runs WHERE run_id = $1", 1, id, &res, err);
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
    zf_wh_years_array(&d->plan, run->years, run->n_years, years, sizeof years);
    snprintf(nread, sizeof nread, "%lld", (long long)read);
    snprintf(nacc, sizeof nacc, "%lld", (long long)acc);
    snprintf(nrej, sizeof nrej, "%lld", (long long)rej);
    snprintf(norph, sizeof norph, "%lld", (long long)run->orphans_total);
    const char *const v[] = {run->run_id, d->plan.id, d->plan_sha256, run->as_of_text, years,
                             run->version, run->incomplete ? "incomplete" : "complete",
                             d->regions.n_regions ? d->regions.regions[0].name : "",
                             nread, nacc, nrej, norph, manifest, again ? first : NULL, stores};
    return zf_wh_q(c,
                   "INSERT INTO runs (run_id, plan, plan_sha256, as_of, years, version, status, top_region, "
                   "rows_read, rows_accepted, rows_rejected, orphans, manifest, first_stored, stores) "
                   "VALUES ($1, $2, $3, $4::date, $5::integer[], $6, $7, $8, $9::bigint, $10::bigint, "
                   "$11::bigint, $12::bigint, $13::jsonb, coalesce($14::timestamptz, now()), $15::integer)",
                   15, v, NULL, err);
}

static ZF_MUST_CHECK zf_status insert_inputs(PGconn *c, const zf_run *run, zf_error *err)
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
        st = zf_wh_q(c,
                     "INSERT INTO run_inputs (run_id, source, file, sha256, size, format, encoding, rows_read, "
                     "rows_accepted, rows_rejected, orphans, reasons, status, message) VALUES ($1, $2, $3, $4, "
                     "$5::bigint, $6, $7, $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::jsonb, $13, $14)",
                     14, v, NULL, err);
    }
    return st;
}

static ZF_MUST_CHECK zf_status insert_policies(PGconn *c, const zf_run *run, zf_error *err)
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
        st = zf_wh_q(c,
                     "INSERT INTO policy_verdicts (run_id, policy, year, title, a, b, verdict) "
                     "VALUES ($1, $2, $3::integer, $4, $5::numeric, $6::numeric, $7)",
                     7, v, NULL, err);
    }
    return st;
}

static ZF_MUST_CHECK zf_status store_in(PGconn *c, const zf_run *run, const zf_warehouse_input *in, const char *manifest,
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
    if ((st = zf_wh_q0(c, "BEGIN", err)) != ZF_OK ||
        (st = zf_wh_q(c, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key, NULL, err)) != ZF_OK ||
        (st = zf_wh_store_definitions(c, run->defs, err)) != ZF_OK ||
        (st = insert_run(c, run, manifest, err)) != ZF_OK ||
        (st = insert_inputs(c, run, err)) != ZF_OK || (st = insert_policies(c, run, err)) != ZF_OK)
        return st;
    if ((st = zf_path_join(path, sizeof path, in->stage_dir, "results.csv", err)) != ZF_OK)
        return st;
    st = copy_file(c,
                   "COPY results (run_id, seq, plan, indicator, part, year, region, numerator, denominator, "
                   "value, target, status) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (part, value, target, status))",
                   path, run->run_id, "plan,indicator,part,year,region,", NULL, &rows, err);
    if (st == ZF_OK && rows != (long long)run->n_results)
        st = zf_error_set(err, ZF_ERR_INTERNAL, path, 0, 0, "%lld rows stored, the run has %zu", rows,
                          run->n_results);
    if (st != ZF_OK)
        return st;
    if ((st = zf_path_join(path, sizeof path, in->stage_dir, "rejects.csv", err)) != ZF_OK)
        return st;
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
        st = zf_wh_q0(c, "COMMIT", err);
    return st;
}

zf_status zf_warehouse_store(const zf_run *run, const zf_warehouse_input *in, zf_error *err)
{
    PGconn *c = NULL;
    char *manifest = NULL;
    size_t mlen = 0;
    char path[4096];
    zf_status st = zf_path_join(path, sizeof path, in->stage_dir, "manifest.json", err);
    if (st == ZF_OK)
        st = zf_wh_read_all(path, &manifest, &mlen, err);
    if (st == ZF_OK)
        st = zf_wh_connect(&c, in->store, err);
    if (st == ZF_OK)
        st = zf_wh_check_version(c, err);
    if (st == ZF_OK)
        st = store_in(c, run, in, manifest, err);
    if (st != ZF_OK)
        zf_wh_rollback(c);
    PQfinish(c);
    free(manifest);
    return st;
}
