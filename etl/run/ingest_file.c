/* ingest_file.c — one input file: opened (regular files only, links inside --data), read
 * record by record, each validated and fed to the engine, rejects and orphans written with
 * their values masked and made output text, rows that are not records (title, blank, 合计,
 * notes) told apart and counted, and the file hashed and checked not to have changed. */
#include "zf_ingest.h"


#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "zf_csvout.h"
#include "zf_pgsource.h"
#include "zf_publish.h"
#include "zf_log.h"
#include "zf_reader.h"
#include "zf_sha256.h"
#include "zf_text.h"
#include "zf_validate.h"

#include "ingest_internal.h"

/* What rejects.csv, orphans.csv and the workbook's sample show of a cell: a personal
 * column masked (zf_mask); any other column with what looks like a citizen ID or a mobile
 * number masked all the same (zf_mask_identifiers), because people type them into the
 * wrong column; then as output text (zf_text_safe: controls and stray bytes as \xHH, cut
 * between characters to fit buf).  Only rejects and orphans come here, never good records. */
static const char *shown(file_ctx *c, const zf_column *col, const zf_cell *cell, char *buf, size_t size)
{
    char small[1024];
    size_t len = cell->len;
    char *tmp = col->personal || len < sizeof small ? small : zf_arena_alloc(&c->row, len);
    if (!tmp) {   /* out of memory for a copy: show nothing rather than an unmasked value */
        buf[0] = '\0';
        return buf;
    }
    if (col->personal) {
        zf_mask(cell->ptr, len, col->type == ZF_COL_CITIZEN_ID, small, sizeof small);
        len = strlen(small);
    } else if (len) {   /* a missing column's cell is {NULL, 0}: memcpy from NULL is undefined even for 0 */
        memcpy(tmp, cell->ptr, len);
        zf_mask_identifiers(tmp, len);
    }
    zf_text_safe(tmp, len, buf, size);
    return buf;
}

static ZF_MUST_CHECK zf_status keep_sample(file_ctx *c, long line, const char *column, const char *value,
                                           zf_reason reason)
{
    if (c->sampled >= ZF_REJECT_SAMPLE)
        return ZF_OK;
    source_out *o = c->out;   /* [parallel] per source, merged into run->rejects at the end */
    if (o->n_sample % 256 == 0) {
        zf_reject *grown = realloc(o->sample, (o->n_sample + 256) * sizeof *grown);
        if (!grown)
            return ZF_ERR_NOMEM;
        o->sample = grown;
    }
    zf_reject *r = &o->sample[o->n_sample];
    r->source = c->source;
    r->file = c->q->name;
    r->line = line;
    r->column = column;
    r->value = zf_arena_strdup(&c->out->arena, value);
    r->reason = reason;
    if (!r->value)
        return ZF_ERR_NOMEM;
    o->n_sample++;
    c->sampled++;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status reject(file_ctx *c, long line, const zf_verdict *v)
{
    const zf_column *col = &c->src->columns[v->column];
    char value[256];
    zf_arena_reset(&c->row);
    shown(c, col, &c->cells[v->column], value, sizeof value);
    c->q->rows_rejected++;
    c->q->reasons[v->reason]++;
    if (c->rejects)
        zf_rejects_csv_row(c->rejects, c->src->id, c->q->name, line, col->name, value, v->reason);
    return keep_sample(c, line, col->name, value, v->reason);
}

static void orphan(file_ctx *c, long line)
{
    c->q->orphans++;
    c->out->n_orphans++;      /* [parallel] summed into run->orphans_total at the end */
    if (!c->out->orphans)
        return;
    /* the joined column is the first personal text column (户编号 of care_visits) */
    for (size_t i = 0; i < c->src->n_columns; i++) {
        const zf_column *col = &c->src->columns[i];
        if (!col->personal)
            continue;
        char value[256];
        zf_arena_reset(&c->row);
        shown(c, col, &c->cells[i], value, sizeof value);
        zf_rejects_csv_row(c->out->orphans, c->src->id, c->q->name, line, col->name, value,
                           ZF_REASON_NONE);
        return;
    }
}

/* A row that is not a record: counted as what it is, and the first few kept to be shown. */
static ZF_MUST_CHECK zf_status skip_row(file_ctx *c, long line, zf_row_kind kind, const char *label, size_t len,
                                        const char *check, bool matches)
{
    zf_input_file *q = c->q;
    q->rows_skipped[kind]++;
    if (kind == ZF_ROW_BLANK || q->n_skipped >= ZF_SKIPPED_SHOWN)
        return ZF_OK;
    char masked[128], text[256];
    size_t n = zf_utf8_cut(label, len, sizeof masked);
    memcpy(masked, label, n);
    zf_mask_identifiers(masked, n);   /* 联系电话：138… */
    zf_text_safe(masked, n, text, sizeof text);
    if (!q->skipped)
        q->skipped = zf_arena_calloc(&c->out->arena, ZF_SKIPPED_SHOWN, sizeof *q->skipped);
    zf_skipped_row *s = q->skipped ? &q->skipped[q->n_skipped] : NULL;
    if (s)
        *s = (zf_skipped_row){ line, kind, zf_arena_strdup(&c->out->arena, text),
                               zf_arena_strdup(&c->out->arena, check ? check : ""), matches };
    if (!s || !s->label || !s->check)
        return ZF_ERR_NOMEM;
    q->n_skipped++;
    return ZF_OK;
}

/* A row that failed validation may be no record at all: blank, a 合计 or a note row. */
static bool not_a_record(file_ctx *c, zf_reader *r, long line, zf_status *st)
{
    const char *label;
    size_t len;
    if (!zf_reader_has_labels(r))
        return false;
    bool has = zf_reader_row_label(r, &label, &len);
    zf_row_kind kind = zf_row_kind_of(has, label, len);
    if (kind == ZF_ROW_RECORD)
        return false;
    char check[512] = "";
    bool matches = false;
    if (kind == ZF_ROW_TOTAL) {
        const bool sub = len >= 6 && !memcmp(label, "小计", 6);
        matches = zf_totals_check(&c->totals, c->cells, c->present, sub, &c->vctx, check, sizeof check);
    }
    *st = skip_row(c, line, kind, label, len, check, matches);
    return true;
}

static ZF_MUST_CHECK zf_status one_record(file_ctx *c, zf_reader *r, long line)
{
    zf_verdict v;
    zf_status st = zf_validator_check(c->validator, c->cells, c->present,
                                      zf_reader_serial_dates(r), c->values, &v);
    if (st != ZF_OK)
        return st;
    if (v.reason != ZF_REASON_NONE && not_a_record(c, r, line, &st))
        return st;
    c->q->rows_read++;
    if (v.reason != ZF_REASON_NONE)
        return reject(c, line, &v);
    c->q->rows_accepted++;
    zf_totals_add(&c->totals, c->values);
    if (c->accepted)
        zf_accepted_csv_row(c->accepted, c->src, c->values);
    if (!c->opts->engine)
        return ZF_OK;
    bool is_orphan = false;
    st = zf_engine_feed_at(c->opts->engine, c->source, c->values, c->q->name, line, &is_orphan);
    c->engine_failed = st != ZF_OK;
    if (st == ZF_OK && is_orphan)
        orphan(c, line);
    return st;
}

static const char *format_name(zf_format f)
{
    switch (f) {
    case ZF_FORMAT_CSV: return "csv";
    case ZF_FORMAT_XLSX: return "xlsx";
    case ZF_FORMAT_XLS: return "xls";
    case ZF_FORMAT_JSON: return "json";
    case ZF_FORMAT_JSONL: return "jsonl";
    default: return "";
    }
}

/* The message names the file relative to --data: outputs must not depend on where the data
 * lies, or an audit re-run (from the archive, elsewhere) of a run with a broken input differs. */
static void file_failed(file_ctx *c, const zf_error *e)
{
    char msg[1400];
    char shown_msg[sizeof msg];
    zf_error rel = *e;
    size_t n = strlen(c->opts->data_dir);
    if (!strncmp(rel.file, c->opts->data_dir, n) && rel.file[n] == '/') {
        while (rel.file[n] == '/')
            n++;
        memmove(rel.file, rel.file + n, strlen(rel.file + n) + 1);
    }
    zf_error_format(&rel, msg, sizeof msg);
    /* the message names the file by its path, which may hold bytes that are no UTF-8 */
    zf_text_safe(msg, zf_utf8_complete(msg, strlen(msg)), shown_msg, sizeof shown_msg);
    c->q->status = "error";
    c->q->message = zf_arena_strdup(&c->out->arena, shown_msg);
    if (c->opts->engine)
        zf_engine_set_state(c->opts->engine, c->source, ZF_SOURCE_FAILED);
}

/* The header lacks a required column: the file is flagged and every record will be
 * rejected as missing_required by the validator. */
static void check_header(file_ctx *c, zf_reader *r)
{
    for (size_t i = 0; i < c->src->n_columns; i++) {
        c->present[i] = zf_reader_has_column(r, i);
        if (!c->present[i] && c->src->columns[i].required && strcmp(c->q->status, "ok") == 0) {
            c->q->status = "missing_column";
            char msg[512];
            snprintf(msg, sizeof msg, "required column %s is not in the header",
                     c->src->columns[i].name);
            c->q->message = zf_arena_strdup(&c->out->arena, msg);
            /* its records are all rejected: what the indicators would show is not data */
            if (c->opts->engine)
                zf_engine_set_state(c->opts->engine, c->source, ZF_SOURCE_FAILED);
        }
    }
}

/* A line that rewrites itself on the terminal while a large file is read. */
static void show_running(FILE *out, const zf_input_file *q, const zf_reader *r, const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double secs = (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
    fprintf(out, "\r  %-44s %10lld rows %8lld rejected %8.1f MB/s ...", q->name, (long long)q->rows_read,
            (long long)q->rows_rejected, secs > 0 ? (double)zf_reader_bytes(r) / 1e6 / secs : 0.0);
    fflush(out);
}

/* [archive] A fresh file in the spool directory for a postgres source's rows; its name goes
 * into q->spool so that the archive takes it, and the pipeline removes what is left. */
static ZF_MUST_CHECK zf_status open_spool(file_ctx *c, FILE **out, zf_error *err)
{
    char path[4096];
    *out = NULL;
    snprintf(path, sizeof path, "%s/%s.XXXXXX", c->opts->spool_dir, c->src->id);
    const int fd = mkstemp(path);
    if (fd < 0 || !(*out = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot keep the rows of %s for the archive: %s",
                            c->q->name, strerror(errno));
    }
    c->q->spool = zf_arena_strdup(&c->out->arena, path);
    return c->q->spool ? ZF_OK : zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* A postgres source is queried, or, when an audit replays a run, read from the file the
 * archive kept of its rows (their canonical CSV text: the hash is the same). */
static ZF_MUST_CHECK zf_status open_source(file_ctx *c, const char *path, const zf_reader_opts *ro, FILE *spool,
                                           zf_reader **r, zf_error *ferr)
{
    if (c->src->kind != ZF_SOURCE_POSTGRES)
        return zf_reader_open(r, path, ro, ferr);
    if (!c->opts->replay_postgres)   /* [warehouse] a query, not a file */
        return zf_reader_open_pg(r, c->q->name, c->src->conninfo, c->src->query, ro, spool, ferr);
    const zf_reader_opts as_csv = {ZF_FORMAT_CSV, "utf-8", ro->columns, ro->n_columns, false, -1};
    return zf_reader_open(r, path, &as_csv, ferr);
}

/* Links are read only when they stay inside --data: one to /etc/shadow or /dev/zero would
 * otherwise be read, hashed and archived.  Other kinds of file are refused when opened. */
static ZF_MUST_CHECK zf_status check_link(const char *data_dir, const char *path, zf_error *err)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode))
        return ZF_OK;
    char *target = realpath(path, NULL), *root = realpath(data_dir, NULL);
    size_t n = root ? strlen(root) : 0;
    bool inside = target && root && !strncmp(target, root, n) && target[n] == '/';
    free(target);
    free(root);
    return inside ? ZF_OK
                  : zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                                 "is a symbolic link that leads outside the data directory (or nowhere): "
                                 "links are read only when they stay inside --data");
}

zf_status zf_ing_read_file(file_ctx *c, const char *path, zf_error *err)
{
    const char *cols[256];
    size_t nc = c->src->n_columns < 256 ? c->src->n_columns : 256;
    for (size_t i = 0; i < nc; i++)
        cols[i] = c->src->columns[i].name;
    zf_reader_opts ro = {ZF_FORMAT_AUTO, c->src->encoding, cols, nc, false, c->src->header_row};
    const bool pg = c->src->kind == ZF_SOURCE_POSTGRES;
    zf_reader *r = NULL;
    FILE *spool = NULL;
    zf_error ferr;
    zf_error_clear(&ferr);
    zf_status st = ZF_OK;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (pg && c->opts->spool_dir && (st = open_spool(c, &spool, err)) != ZF_OK)
        return st;
    const bool refused = !pg && check_link(c->opts->data_dir, path, &ferr) != ZF_OK;
    struct stat before = {0};
    const bool stated = !pg && !refused && stat(path, &before) == 0;
    if (refused || open_source(c, path, &ro, spool, &r, &ferr) != ZF_OK) {
        file_failed(c, &ferr);
        goto cleanup;
    }
    c->q->format = pg ? "postgres" : format_name(zf_reader_format(r));
    c->q->encoding = zf_reader_encoding(r);
    check_header(c, r);
    c->vctx.serials = zf_reader_serial_dates(r);
    c->q->header_line = zf_reader_header_line(r);
    if (c->q->header_line > 1 &&
        (st = skip_row(c, 1, ZF_ROW_TITLE, "", 0, NULL, false)) == ZF_OK)   /* one entry for the block */
        c->q->rows_skipped[ZF_ROW_TITLE] = c->q->header_line - 1;
    if (st == ZF_OK && zf_totals_init(&c->totals, c->src) != ZF_OK)
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st != ZF_OK)
        goto cleanup;
    for (long row = 1;; row++) {
        long line = 0;
        bool more = false;
        if (zf_reader_next(r, c->cells, &line, &more, &ferr) != ZF_OK) {
            file_failed(c, &ferr);
            break;
        }
        if (!more)
            break;
        if (pg)   /* a query's record is named by its row number, also when replayed from a file */
            line = row;
        if (c->opts->progress && (c->q->rows_read & 0x1FFFF) == 0x1FFFF) {
            pthread_mutex_lock(c->lock);
            show_running(c->opts->progress, c->q, r, &t0);
            pthread_mutex_unlock(c->lock);
        }
        if ((st = one_record(c, r, line)) != ZF_OK) {
            char why[1024];
            zf_error_set(err, st, path, line, 0, "%s",
                         c->engine_failed ? zf_engine_failure(c->opts->engine, c->source, st, why, sizeof why)
                                          : zf_strerror(st));
            break;
        }
    }
    if (stated) {   /* tests change a file here, between its reading and its hash */
        char at[600];
        snprintf(at, sizeof at, "read:%s", c->q->name);
        zf_stage_checkpoint(at);
    }
cleanup:
    if (spool && fclose(spool) != 0 && st == ZF_OK)
        st = zf_error_set(err, ZF_ERR_IO, c->q->spool, 0, 0, "cannot keep the rows of %s for the archive",
                          c->q->name);
    if (zf_reader_is_pg(r)) {   /* [warehouse] the hash and size of the rows' canonical text */
        zf_reader_pg_digest(r, c->q->sha256, &c->q->size);
    } else if (!refused && (!pg || (r && c->opts->replay_postgres))) {
        /* [perf] a CSV file was hashed as it was read: no second pass over it */
        zf_error herr;
        zf_error_clear(&herr);
        if ((r ? zf_reader_sha256(r, c->q->sha256, &c->q->size, &herr)
               : zf_sha256_file(path, c->q->sha256, &c->q->size, &herr)) != ZF_OK)
            file_failed(c, &herr);
    }
    /* an XLSX is parsed and hashed in two passes: the same bytes only if the file held still */
    struct stat after;
    if (stated && (stat(path, &after) != 0 || after.st_size != before.st_size || after.st_ino != before.st_ino ||
                   after.st_mtim.tv_sec != before.st_mtim.tv_sec || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec))
        st = zf_error_set(err, ZF_ERR_IO, c->q->name, 0, 0,
                          "changed while the run was reading it: nothing was published; run again once it "
                          "is complete");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->q->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (strcmp(c->q->status, "ok") == 0 && c->q->rows_rejected)
        c->q->status = "rejects";
    zf_totals_free(&c->totals);
    zf_reader_free(r);
    return st;
}
