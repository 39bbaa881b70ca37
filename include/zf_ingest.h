/* zf_ingest.h — extract + validate every source of a plan from a data directory:
 * find each source's files (the stem, optionally followed by `.anything`, and a known
 * extension; read in byte order of their names), stream their records through the
 * validator, hand accepted records to the engine and account for every rejected one.
 * A file that cannot be read is recorded with its message; the run goes on. */
#ifndef ZF_INGEST_H
#define ZF_INGEST_H

#include <stdio.h>

#include "zf_engine.h"
#include "zf_run.h"

typedef struct zf_ingest_opts {
    const char *data_dir;
    zf_engine *engine;   /* NULL: validate only (zhongfu check) */
    FILE *rejects;       /* rejects.csv (header already written), or NULL */
    FILE *orphans;       /* orphans.csv (header already written), or NULL */
    FILE *progress;      /* a terminal for a line per file, or NULL */
    const char *accepted_dir; /* write each source's accepted records to DIR/<stem>.csv, or NULL */
    struct zf_log *log;       /* a line per file, or NULL */
    const char *spool_dir;    /* [archive] keep each postgres source's rows (their canonical text)
                                 in a file there, named in zf_input_file.spool, or NULL */
    bool replay_postgres;     /* [audit] read a postgres source from DATA/postgres:<id>, the file
                                 the archive kept, instead of querying the server */
} zf_ingest_opts;

/* Fills run->files (in source order, then file name), run->rejects (a sample per source)
 * and run->orphans_total, and marks each source's state in the engine.  Fails only when
 * the data directory cannot be listed or memory runs out. */
ZF_MUST_CHECK zf_status zf_ingest(zf_run *run, const zf_ingest_opts *opts, zf_error *err);

/* The files of source `stem` in dir, sorted; *names is a NULL-terminated array allocated in
 * arena.  A name matches `stem.ext` or `stem.<anything>.ext` for the formats we read. */
ZF_MUST_CHECK zf_status zf_ingest_find_files(const char *dir, const char *stem, zf_arena *arena,
                                             const char ***names, size_t *n, zf_error *err);

#endif
