/* zf_pipeline.h — one run from definitions and a data directory to published outputs:
 * extract → validate → compute → evaluate → write, into a staging directory that
 * replaces --out only when everything was written. */
#ifndef ZF_PIPELINE_H
#define ZF_PIPELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "zf_error.h"
#include "zf_run.h"

typedef struct zf_run_opts {
    const char *templates_dir;
    const char *plan_id;
    const char *data_dir;
    const char *out_dir;
    int32_t as_of;            /* day number */
    const int *years;         /* only these plan years; NULL = every year up to the as-of year */
    size_t n_years;
    bool charts;              /* draw charts with gnuplot */
    const char *gnuplot;      /* NULL: from PATH */
    bool workbooks;
    FILE *progress;           /* a terminal, or NULL */
    const char *accepted_dir; /* also export the accepted records there (typed CSV), or NULL */
    const char *archive;      /* keep inputs, definitions and outputs there by hash, or NULL */
    struct zf_log *log;       /* the JSON-lines log, or NULL */
    const char *store;        /* PostgreSQL warehouse (URL, conninfo or "env") to write the run to
                                 before publishing, or NULL (zf_warehouse.h) */
    bool replay_postgres;     /* [audit] postgres sources from the files the archive kept */
} zf_run_opts;

/* What the caller needs to print a summary and choose the exit status. */
typedef struct zf_run_outcome {
    zf_run *run;              /* owned by the caller: zf_run_free() */
    zf_defs *defs;
    bool charts_skipped;
    char charts_message[512];
} zf_run_outcome;

/* Returns ZF_OK when the outputs were published (the run may still be incomplete:
 * see run->incomplete and charts_skipped); any other status means nothing was published. */
ZF_MUST_CHECK zf_status zf_pipeline_run(const zf_run_opts *o, zf_run_outcome *out, zf_error *err);

/* Set up an empty run for defs (years up to the as-of year, or the given ones). */
ZF_MUST_CHECK zf_status zf_run_new(zf_run **out, const zf_defs *defs, int32_t as_of, const int *years,
                                   size_t n_years, zf_error *err);
void zf_run_free(zf_run *run);
void zf_run_outcome_free(zf_run_outcome *o);

#endif
