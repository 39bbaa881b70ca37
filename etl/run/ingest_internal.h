/* ingest_internal.h — what the three parts of ingestion share: discovery (discover.c: which
 * files belong to which source), reading one file (ingest_file.c: records, rejects, orphans,
 * rows that are not records) and scheduling the sources on threads (ingest.c). */
#ifndef ZF_INGEST_INTERNAL_H
#define ZF_INGEST_INTERNAL_H

#include <pthread.h>
#include <stdio.h>

#include "zf_ingest.h"
#include "zf_rowkind.h"
#include "zf_validate.h"

/* [parallel] What one source leaves for the run.  Sources of different groups may be read by
 * different threads; each source job allocates from its own arena (the run adopts them
 * after the join), what they share (the terminal, the log) is taken under `lock`, and
 * what goes in order (the reject sample, orphans.csv, rejects.csv) is kept per
 * source and merged in the single-threaded order at the end, so the outputs do not depend
 * on the number of threads. */
typedef struct source_out {
    zf_arena arena;         /* what the run keeps of this source: messages, samples, names */
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
    pthread_mutex_t *lock;  /* [parallel] progress and log */
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
    zf_totals totals;       /* this file's sums, for its 合计 rows */
    zf_value_ctx vctx;      /* to read a 合计 row's numbers */
    zf_arena row;           /* a rejected row's scratch, reset per row */
    bool engine_failed;     /* the record stopped in the engine: its message names the rule */
} file_ctx;

typedef struct source_files {
    const char **names;
    size_t n;
    size_t first;            /* index of its first zf_input_file in run->files */
} source_files;

/* Each source's files in the data directory (a postgres source: its query), and a
 * zf_input_file for each (a missing source still gets one). */
ZF_MUST_CHECK zf_status zf_ing_plan_files(zf_run *run, const char *dir, source_files *sf, zf_error *err);

/* Read, validate and feed the file at path into c->q. */
ZF_MUST_CHECK zf_status zf_ing_read_file(file_ctx *c, const char *path, zf_error *err);

#endif
