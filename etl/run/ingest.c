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
#include "zf_log.h"
#include "zf_reader.h"
#include "zf_sha256.h"
#include "zf_text.h"
#include "zf_validate.h"

/* ---- finding files ------------------------------------------------------ */

static bool known_extension(const char *name)
{
    return zf_format_from_name(name) != ZF_FORMAT_AUTO;
}

static bool belongs_to(const char *name, const char *stem)
{
    size_t n = strlen(stem);
    return strncmp(name, stem, n) == 0 && name[n] == '.' && known_extension(name);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

zf_status zf_ingest_find_files(const char *dir, const char *stem, zf_arena *arena,
                               const char ***names, size_t *n, zf_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return zf_error_set(err, ZF_ERR_IO, dir, 0, 0, "cannot open the data directory: %s",
                            strerror(errno));
    size_t cap = 8, count = 0;
    const char **list = malloc(cap * sizeof *list);
    zf_status st = list ? ZF_OK : ZF_ERR_NOMEM;
    struct dirent *de;
    while (st == ZF_OK && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !belongs_to(de->d_name, stem))
            continue;
        if (count + 1 >= cap) {
            const char **grown = realloc(list, (cap *= 2) * sizeof *list);
            if (!grown) {
                st = ZF_ERR_NOMEM;
                break;
            }
            list = grown;
        }
        if (!(list[count++] = zf_arena_strdup(arena, de->d_name)))
            st = ZF_ERR_NOMEM;
    }
    closedir(d);
    if (st != ZF_OK) {
        free(list);
        return zf_error_set(err, st, dir, 0, 0, "out of memory");
    }
    qsort(list, count, sizeof *list, by_bytes);
    const char **out = zf_arena_calloc(arena, count + 1, sizeof *out);
    if (out)
        memcpy(out, list, count * sizeof *out);
    free(list);
    if (!out)
        return zf_error_set(err, ZF_ERR_NOMEM, dir, 0, 0, "out of memory");
    *names = out;
    *n = count;
    return ZF_OK;
}

/* ---- one file ----------------------------------------------------------- */

/* [parallel] What one source leaves for the run.  Sources of different groups may be read by
 * different threads; what they share (run->arena, the terminal, the log) is taken under
 * `lock`, and what goes in order (the reject sample, orphans.csv, rejects.csv) is kept per
 * source and merged in the single-threaded order at the end, so the outputs do not depend
 * on the number of threads. */
typedef struct source_out {
    zf_reject *sample;      /* the source's rejects kept for the workbook */
    size_t n_sample;
    FILE *orphans;          /* this source's orphans, copied into orphans.csv in order */
    int64_t n_orphans;
    zf_status st;
    zf_error err;
} source_out;

typedef struct file_ctx {
    zf_run *run;
    const zf_ingest_opts *opts;
    pthread_mutex_t *lock;  /* [parallel] run->arena, progress and log */
    source_out *out;        /* [parallel] */
    const zf_source *src;
    size_t source;
    zf_validator *validator;
    zf_input_file *q;
    FILE *rejects;          /* this source's rejects, copied into rejects.csv in source order */
    FILE *accepted;         /* the accepted records, typed, or NULL */
    size_t sampled;         /* rejects kept for the workbook */
    zf_cell *cells;
    zf_value *values;
    bool *present;
} file_ctx;

/* What rejects.csv, orphans.csv and the workbook's sample show of a cell: a personal
 * column masked (zf_mask); any other column with what looks like a citizen ID or a mobile
 * number masked all the same (zf_mask_identifiers), because people type them into the
 * wrong column; then as output text (zf_text_safe: controls and stray bytes as \xHH, cut
 * between characters to fit buf).  Only rejects and orphans come here, never good records. */
static const char *shown(const zf_column *col, const zf_cell *cell, char *buf, size_t size)
{
    char small[1024];
    size_t len = cell->len;
    char *tmp = col->personal || len < sizeof small ? small : malloc(len);
    if (!tmp) {   /* out of memory for a copy: show nothing rather than an unmasked value */
        buf[0] = '\0';
        return buf;
    }
    if (col->personal) {
        zf_mask(cell->ptr, len, col->type == ZF_COL_CITIZEN_ID, small, sizeof small);
        len = strlen(small);
    } else {
        memcpy(tmp, cell->ptr, len);
        zf_mask_identifiers(tmp, len);
    }
    zf_text_safe(tmp, len, buf, size);
    if (tmp != small)
        free(tmp);
    return buf;
}

static zf_status keep_sample(file_ctx *c, long line, const char *column, const char *value,
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
    pthread_mutex_lock(c->lock);
    r->value = zf_arena_strdup(&c->run->arena, value);
    pthread_mutex_unlock(c->lock);
    r->reason = reason;
    if (!r->value)
        return ZF_ERR_NOMEM;
    o->n_sample++;
    c->sampled++;
    return ZF_OK;
}

static zf_status reject(file_ctx *c, long line, const zf_verdict *v)
{
    const zf_column *col = &c->src->columns[v->column];
    char value[256];
    shown(col, &c->cells[v->column], value, sizeof value);
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
        shown(col, &c->cells[i], value, sizeof value);
        zf_rejects_csv_row(c->out->orphans, c->src->id, c->q->name, line, col->name, value,
                           ZF_REASON_NONE);
        return;
    }
}

static zf_status one_record(file_ctx *c, zf_reader *r, long line)
{
    zf_verdict v;
    zf_status st = zf_validator_check(c->validator, c->cells, c->present,
                                      zf_reader_serial_dates(r), c->values, &v);
    if (st != ZF_OK)
        return st;
    c->q->rows_read++;
    if (v.reason != ZF_REASON_NONE)
        return reject(c, line, &v);
    c->q->rows_accepted++;
    if (c->accepted)
        zf_accepted_csv_row(c->accepted, c->src, c->values);
    if (!c->opts->engine)
        return ZF_OK;
    bool is_orphan = false;
    st = zf_engine_feed_at(c->opts->engine, c->source, c->values, c->q->name, line, &is_orphan);
    if (st == ZF_OK && is_orphan)
        orphan(c, line);
    return st;
}

static const char *format_name(zf_format f)
{
    switch (f) {
    case ZF_FORMAT_CSV: return "csv";
    case ZF_FORMAT_XLSX: return "xlsx";
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
    pthread_mutex_lock(c->lock);
    c->q->message = zf_arena_strdup(&c->run->arena, shown_msg);
    pthread_mutex_unlock(c->lock);
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
            pthread_mutex_lock(c->lock);
            c->q->message = zf_arena_strdup(&c->run->arena, msg);
            pthread_mutex_unlock(c->lock);
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
static zf_status open_spool(file_ctx *c, FILE **out, zf_error *err)
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
    pthread_mutex_lock(c->lock);
    c->q->spool = zf_arena_strdup(&c->run->arena, path);
    pthread_mutex_unlock(c->lock);
    return c->q->spool ? ZF_OK : zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* A postgres source is queried, or, when an audit replays a run, read from the file the
 * archive kept of its rows (their canonical CSV text: the hash is the same). */
static zf_status open_source(file_ctx *c, const char *path, const zf_reader_opts *ro, FILE *spool,
                             zf_reader **r, zf_error *ferr)
{
    if (c->src->kind != ZF_SOURCE_POSTGRES)
        return zf_reader_open(r, path, ro, ferr);
    if (!c->opts->replay_postgres)   /* [warehouse] a query, not a file */
        return zf_reader_open_pg(r, c->q->name, c->src->conninfo, c->src->query, ro, spool, ferr);
    const zf_reader_opts as_csv = {ZF_FORMAT_CSV, "utf-8", ro->columns, ro->n_columns, false};
    return zf_reader_open(r, path, &as_csv, ferr);
}

/* Links are read only when they stay inside --data: one to /etc/shadow or /dev/zero would
 * otherwise be read, hashed and archived.  Other kinds of file are refused when opened. */
static zf_status check_link(const char *data_dir, const char *path, zf_error *err)
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

static zf_status read_file(file_ctx *c, const char *path, zf_error *err)
{
    const char *cols[256];
    size_t nc = c->src->n_columns < 256 ? c->src->n_columns : 256;
    for (size_t i = 0; i < nc; i++)
        cols[i] = c->src->columns[i].name;
    zf_reader_opts ro = {ZF_FORMAT_AUTO, c->src->encoding, cols, nc, false};
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
    if (refused || open_source(c, path, &ro, spool, &r, &ferr) != ZF_OK) {
        file_failed(c, &ferr);
        goto cleanup;
    }
    c->q->format = pg ? "postgres" : format_name(zf_reader_format(r));
    c->q->encoding = zf_reader_encoding(r);
    check_header(c, r);
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
            zf_error_set(err, st, path, line, 0, "%s", zf_strerror(st));
            break;
        }
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
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->q->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (strcmp(c->q->status, "ok") == 0 && c->q->rows_rejected)
        c->q->status = "rejects";
    zf_reader_free(r);
    return st;
}

/* ---- all sources -------------------------------------------------------- */

typedef struct source_files {
    const char **names;
    size_t n;
    size_t first;            /* index of its first zf_input_file in run->files */
} source_files;

static zf_status plan_files(zf_run *run, const char *dir, source_files *sf, zf_error *err)
{
    const zf_source_set *set = &run->defs->sources;
    size_t total = 0;
    for (size_t s = 0; s < set->n_sources; s++) {
        if (set->sources[s].kind == ZF_SOURCE_POSTGRES) {   /* [warehouse] one input: the query */
            char name[300];
            snprintf(name, sizeof name, "postgres:%s", set->sources[s].id);
            sf[s].names = zf_arena_calloc(&run->arena, 2, sizeof *sf[s].names);
            if (!sf[s].names || !(sf[s].names[0] = zf_arena_strdup(&run->arena, name)))
                return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
            sf[s].n = 1;
            sf[s].first = total;
            total += 1;
            continue;
        }
        zf_status st = zf_ingest_find_files(dir, set->sources[s].id, &run->arena, &sf[s].names,
                                            &sf[s].n, err);
        if (st != ZF_OK)
            return st;
        sf[s].first = total;
        total += sf[s].n ? sf[s].n : 1;   /* a missing source still gets a row */
    }
    run->files = zf_arena_calloc(&run->arena, total ? total : 1, sizeof *run->files);
    if (!run->files)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    run->n_files = total;
    for (size_t s = 0; s < set->n_sources; s++) {
        for (size_t k = 0; k < (sf[s].n ? sf[s].n : 1); k++) {
            zf_input_file *q = &run->files[sf[s].first + k];
            q->source = s;
            q->name = q->path = sf[s].n ? sf[s].names[k] : "";
            /* a name in GBK bytes is opened as it is but shown escaped, the same everywhere */
            if (!zf_text_is_safe(q->name, strlen(q->name))) {
                char shown_name[4 * 256 + 1];
                zf_text_safe(q->path, strlen(q->path), shown_name, sizeof shown_name);
                if (!(q->name = zf_arena_strdup(&run->arena, shown_name)))
                    return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            q->status = sf[s].n ? "ok" : "missing";
            q->format = q->encoding = "";
            q->message = sf[s].n ? "" : "no file for this source in the data directory";
        }
    }
    return ZF_OK;
}

static void show_progress(FILE *out, const zf_input_file *q)
{
    double mb = (double)q->size / 1e6;
    fprintf(out, "\r  %-44s %10lld rows %8lld rejected %8.1f MB/s  %s\033[K\n", q->name,
            (long long)q->rows_read, (long long)q->rows_rejected,
            q->seconds > 0 ? mb / q->seconds : 0.0, q->status);
    fflush(out);
}

static void log_file(zf_log *log, const zf_source *src, const zf_input_file *q)
{
    zf_log_event(log, "extract", "file", "source", 's', src->id, "file", 's', q->name,
                 "format", 's', q->format, "encoding", 's', q->encoding,
                 "rows_read", 'i', (long long)q->rows_read, "rows_accepted", 'i', (long long)q->rows_accepted,
                 "rows_rejected", 'i', (long long)q->rows_rejected, "orphans", 'i', (long long)q->orphans,
                 "status", 's', q->status, "message", 's', q->message ? q->message : "",
                 "seconds", 'f', q->seconds,
                 "mb_per_s", 'f', q->seconds > 0 ? (double)q->size / 1e6 / q->seconds : 0.0, (char *)NULL);
}

/* 0, or the errno of the failure.  A write to the temporary file that failed is known only
 * by its error flag, and rewind clears that: it is read first, or rows lost to a full or
 * failing disk would be published as if there had never been any. */
static int copy_rejects(FILE *from, FILE *to)
{
    char buf[1 << 15];
    size_t n;
    if (fflush(from) != 0 || ferror(from))
        return errno ? errno : EIO;
    rewind(from);
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return errno ? errno : EIO;
    return ferror(from) ? (errno ? errno : EIO) : 0;
}

static zf_status open_accepted(const char *dir, const zf_source *src, FILE **out, zf_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", dir, src->id);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    *out = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!*out) {
        if (fd >= 0)
            close(fd);
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    }
    zf_accepted_csv_header(*out, src);
    return ZF_OK;
}

static zf_status ingest_source(zf_run *run, const zf_ingest_opts *o, size_t s, const source_files *sf,
                               FILE *rejects, pthread_mutex_t *lock, source_out *out, zf_error *err)
{
    const zf_source *src = &run->defs->sources.sources[s];
    file_ctx c = {.run = run, .opts = o, .src = src, .source = s, .rejects = rejects,
                  .lock = lock, .out = out};
    if (!sf->n) {
        if (o->engine)
            zf_engine_set_state(o->engine, s, ZF_SOURCE_MISSING);
        return ZF_OK;
    }
    int max_year = 0, m, d;
    zf_civil_from_days(run->as_of, &max_year, &m, &d);
    zf_status st = zf_validator_new(&c.validator, src, &run->defs->regions, max_year + 1, err);
    if (st != ZF_OK)
        return st;
    c.cells = calloc(src->n_columns, sizeof *c.cells);
    c.values = calloc(src->n_columns, sizeof *c.values);
    c.present = calloc(src->n_columns, sizeof *c.present);
    if (!c.cells || !c.values || !c.present) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    if (o->accepted_dir && (st = open_accepted(o->accepted_dir, src, &c.accepted, err)) != ZF_OK)
        goto cleanup;
    for (size_t k = 0; k < sf->n && st == ZF_OK; k++) {
        c.q = &run->files[sf->first + k];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o->data_dir, c.q->path);
        st = read_file(&c, path, err);   /* [perf] hashes the file too */
        pthread_mutex_lock(lock);
        if (o->progress)
            show_progress(o->progress, c.q);
        log_file(o->log, src, c.q);
        pthread_mutex_unlock(lock);
    }
cleanup:
    if (c.accepted && fclose(c.accepted) != 0 && st == ZF_OK)
        st = zf_error_set(err, ZF_ERR_IO, src->id, 0, 0, "cannot write the accepted records");
    free(c.cells);
    free(c.values);
    free(c.present);
    zf_validator_free(c.validator);
    return st;
}

/* ---- [parallel] groups of sources on threads ---------------------------------- */

typedef struct ingest_plan {
    zf_run *run;
    const zf_ingest_opts *o;
    const source_files *sf;
    FILE **rej;
    source_out *out;
    const size_t *order;      /* sources in feeding order */
    size_t *group_first;      /* groups, heaviest first: index into `members` of their first source */
    size_t *group_n;
    size_t *members;          /* the sources of each group, in feeding order */
    size_t n_groups;
    size_t next;              /* the next group to take */
    bool stop;                /* a source failed: take no further group */
    pthread_mutex_t lock;
} ingest_plan;

static zf_status run_source(ingest_plan *p, size_t s)
{
    source_out *out = &p->out[s];
    zf_error_clear(&out->err);
    if (p->o->rejects && !(p->rej[s] = tmpfile()))
        return out->st = zf_error_set(&out->err, ZF_ERR_IO, NULL, 0, 0,
                                      "cannot create a temporary file: %s", strerror(errno));
    if (p->o->orphans && p->o->engine && zf_engine_uses(p->o->engine, s) && !(out->orphans = tmpfile()))
        return out->st = zf_error_set(&out->err, ZF_ERR_IO, NULL, 0, 0,
                                      "cannot create a temporary file: %s", strerror(errno));
    return out->st = ingest_source(p->run, p->o, s, &p->sf[s], p->rej[s], &p->lock, out, &out->err);
}

static void *worker(void *arg)
{
    ingest_plan *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t g = p->stop ? p->n_groups : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (g >= p->n_groups)
            return NULL;
        for (size_t k = 0; k < p->group_n[g]; k++) {
            if (run_source(p, p->members[p->group_first[g] + k]) != ZF_OK) {
                pthread_mutex_lock(&p->lock);
                p->stop = true;
                pthread_mutex_unlock(&p->lock);
                break;
            }
        }
    }
}

static uint64_t source_bytes(const ingest_plan *p, size_t s)
{
    uint64_t total = 0;
    for (size_t k = 0; k < p->sf[s].n; k++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", p->o->data_dir, p->sf[s].names[k]);
        if (stat(path, &sb) == 0)
            total += (uint64_t)sb.st_size;
    }
    return total;
}

/* Groups of sources (zf_engine_source_groups), heaviest first, so that two threads end
 * together; each group's sources in feeding order. */
static zf_status plan_groups(ingest_plan *p, size_t ns)
{
    size_t *group = calloc(ns, sizeof *group);
    uint64_t *weight = calloc(ns, sizeof *weight);
    p->group_first = calloc(ns, sizeof *p->group_first);
    p->group_n = calloc(ns, sizeof *p->group_n);
    p->members = calloc(ns, sizeof *p->members);
    if (!group || !weight || !p->group_first || !p->group_n || !p->members) {
        free(group);
        free(weight);
        return ZF_ERR_NOMEM;
    }
    if (p->o->engine)
        zf_engine_source_groups(p->o->engine, group);
    else
        for (size_t s = 0; s < ns; s++)
            group[s] = s;
    size_t n = 0;
    for (size_t k = 0; k < ns; k++) {           /* groups in order of their first source */
        size_t g = group[p->order[k]];
        bool seen = false;
        for (size_t i = 0; i < k; i++)
            seen |= group[p->order[i]] == g;
        if (seen)
            continue;
        p->group_first[p->n_groups] = n;
        for (size_t i = k; i < ns; i++) {
            if (group[p->order[i]] == g) {
                p->members[n++] = p->order[i];
                p->group_n[p->n_groups]++;
                weight[p->n_groups] += source_bytes(p, p->order[i]);
            }
        }
        p->n_groups++;
    }
    for (size_t i = 1; i < p->n_groups; i++) {   /* heaviest first (stable) */
        for (size_t k = i; k > 0 && weight[k] > weight[k - 1]; k--) {
            uint64_t w = weight[k]; weight[k] = weight[k - 1]; weight[k - 1] = w;
            size_t f = p->group_first[k]; p->group_first[k] = p->group_first[k - 1]; p->group_first[k - 1] = f;
            size_t c = p->group_n[k]; p->group_n[k] = p->group_n[k - 1]; p->group_n[k - 1] = c;
        }
    }
    free(group);
    free(weight);
    return ZF_OK;
}

/* ZF_THREADS=N, else the online processors; 1 while a value is traced. */
static size_t thread_count(const zf_ingest_opts *o, size_t ns)
{
    if (o->engine) {
        size_t *g = calloc(ns ? ns : 1, sizeof *g);
        bool ok = g && zf_engine_source_groups(o->engine, g);
        free(g);
        if (!ok)
            return 1;
    }
    const char *env = getenv("ZF_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (size_t)n;
}

static zf_status merge_outputs(ingest_plan *p, size_t ns, zf_error *err)
{
    zf_run *run = p->run;
    size_t total = 0;
    for (size_t s = 0; s < ns; s++)
        total += p->out[s].n_sample;
    if (total) {
        run->rejects = zf_arena_alloc(&run->arena, total * sizeof *run->rejects);
        if (!run->rejects)
            return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    run->n_rejects = 0;
    for (size_t k = 0; k < ns; k++) {          /* in feeding order, as read by one thread */
        source_out *out = &p->out[p->order[k]];
        if (out->n_sample)
            memcpy(run->rejects + run->n_rejects, out->sample, out->n_sample * sizeof *out->sample);
        run->n_rejects += out->n_sample;
        run->orphans_total += out->n_orphans;
        int e = out->orphans ? copy_rejects(out->orphans, p->o->orphans) : 0;
        if (e)
            return zf_error_set(err, ZF_ERR_IO, "orphans.csv", 0, 0, "cannot write: %s", strerror(e));
    }
    return ZF_OK;
}

zf_status zf_ingest(zf_run *run, const zf_ingest_opts *o, zf_error *err)
{
    size_t ns = run->defs->sources.n_sources;
    source_files *sf = calloc(ns ? ns : 1, sizeof *sf);
    size_t *order = calloc(ns ? ns : 1, sizeof *order);
    FILE **rej = calloc(ns ? ns : 1, sizeof *rej);
    source_out *out = calloc(ns ? ns : 1, sizeof *out);
    ingest_plan p = {.run = run, .o = o, .sf = sf, .rej = rej, .out = out, .order = order};
    bool locked = pthread_mutex_init(&p.lock, NULL) == 0;
    zf_status st = (sf && order && rej && out && locked) ? ZF_OK
                 : zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == ZF_OK)
        st = plan_files(run, o->data_dir, sf, err);
    if (st != ZF_OK)
        goto cleanup;
    if (o->engine)
        zf_engine_source_order(o->engine, order);
    else
        for (size_t s = 0; s < ns; s++)
            order[s] = s;
    if (plan_groups(&p, ns) != ZF_OK) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto cleanup;
    }
    size_t nt = thread_count(o, ns);
    if (nt > p.n_groups)
        nt = p.n_groups;
    if (nt <= 1) {
        for (size_t k = 0; k < ns && st == ZF_OK; k++)
            st = run_source(&p, order[k]);
    } else {
        pthread_t *th = calloc(nt, sizeof *th);
        size_t started = 0;
        for (; th && started < nt - 1; started++)
            if (pthread_create(&th[started], NULL, worker, &p) != 0)
                break;
        worker(&p);                            /* this thread works too */
        for (size_t i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        free(th);
    }
    for (size_t k = 0; k < ns && st == ZF_OK; k++) {   /* the first failure in feeding order */
        if (out[order[k]].st != ZF_OK) {
            st = out[order[k]].st;
            *err = out[order[k]].err;
        }
    }
    if (st == ZF_OK)
        st = merge_outputs(&p, ns, err);
    for (size_t s = 0; s < ns && st == ZF_OK && o->rejects; s++) {
        int e = rej[s] ? copy_rejects(rej[s], o->rejects) : 0;
        if (e)
            st = zf_error_set(err, ZF_ERR_IO, "rejects.csv", 0, 0, "cannot write: %s", strerror(e));
    }
cleanup:
    for (size_t s = 0; rej && s < ns; s++)
        if (rej[s])
            fclose(rej[s]);
    for (size_t s = 0; out && s < ns; s++) {
        if (out[s].orphans)
            fclose(out[s].orphans);
        free(out[s].sample);
    }
    if (locked)
        pthread_mutex_destroy(&p.lock);
    free(p.group_first);
    free(p.group_n);
    free(p.members);
    free(out);
    free(rej);
    free(order);
    free(sf);
    return st;
}
