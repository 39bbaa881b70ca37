/* ingest.c — every source of the run read into the engine: the files of each source found
 * (discover.c) and read one by one (ingest_file.c), sources of different engine groups on
 * threads, and what they leave (the reject sample, orphans.csv, rejects.csv) merged in the
 * single-threaded order so that the outputs do not depend on the number of threads. */
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

/* ---- all sources -------------------------------------------------------- */

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
                 "header_row", 'i', (long long)q->header_line,
                 "rows_title", 'i', (long long)q->rows_skipped[ZF_ROW_TITLE],
                 "rows_blank", 'i', (long long)q->rows_skipped[ZF_ROW_BLANK],
                 "rows_total", 'i', (long long)q->rows_skipped[ZF_ROW_TOTAL],
                 "rows_note", 'i', (long long)q->rows_skipped[ZF_ROW_NOTE],
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

static ZF_MUST_CHECK zf_status open_accepted(const char *dir, const zf_source *src, FILE **out, zf_error *err)
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

static ZF_MUST_CHECK zf_status ingest_source(zf_run *run, const zf_ingest_opts *o, size_t s, const source_files *sf,
                                             FILE *rejects, pthread_mutex_t *lock, source_out *out, zf_error *err)
{
    const zf_source *src = &run->defs->sources.sources[s];
    file_ctx c = {.run = run, .opts = o, .src = src, .source = s, .rejects = rejects,
                  .lock = lock, .out = out};
    zf_arena_init(&c.row, 4096);
    if (!sf->n) {
        if (o->engine)
            zf_engine_set_state(o->engine, s, ZF_SOURCE_MISSING);
        return ZF_OK;
    }
    int max_year = 0, m, d;
    zf_civil_from_days(run->as_of, &max_year, &m, &d);
    c.vctx = (zf_value_ctx){ &run->defs->regions, max_year + 1, ZF_SERIAL_NONE };
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
        st = zf_ing_read_file(&c, path, err);   /* [perf] hashes the file too */
        pthread_mutex_lock(lock);
        if (o->progress)
            show_progress(o->progress, c.q);
        log_file(o->log, src, c.q);
        pthread_mutex_unlock(lock);
    }
cleanup:
    if (c.accepted) {
        int bad = ferror(c.accepted);
        if ((fclose(c.accepted) != 0 || bad) && st == ZF_OK)
            st = zf_error_set(err, ZF_ERR_IO, src->id, 0, 0, "cannot write the accepted records: %s",
                              strerror(errno));
    }
    free(c.cells);
    free(c.values);
    free(c.present);
    zf_arena_free(&c.row);
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

static ZF_MUST_CHECK zf_status run_source(ingest_plan *p, size_t s)
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
static ZF_MUST_CHECK zf_status plan_groups(ingest_plan *p, size_t ns)
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

static ZF_MUST_CHECK zf_status merge_outputs(ingest_plan *p, size_t ns, zf_error *err)
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
    for (size_t s = 0; out && s < ns; s++)
        zf_arena_init(&out[s].arena, 16 * 1024);
    if (st == ZF_OK)
        st = zf_ing_plan_files(run, o->data_dir, sf, err);
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
        /* the failure's status and message are taken from out[] below, as after threads:
         * keeping the status here skipped that, and a one-core run said "no error" */
        for (size_t k = 0; k < ns; k++)
            if (run_source(&p, order[k]) != ZF_OK)
                break;
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
        /* the threads are joined: the run takes what each source job kept (the files'
           messages, the reject sample), whether or not the run went well */
        zf_arena_adopt(&run->arena, &out[s].arena);
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
