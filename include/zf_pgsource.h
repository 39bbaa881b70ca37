/* zf_pgsource.h — extract: a source that is a PostgreSQL query (kind "postgres" in the source
 * definitions).  The query runs over libpq in a READ ONLY session and its rows stream (single-row
 * mode: memory does not grow with the result) through the same zf_reader interface as a file:
 * the query's column names are the headers, NULL is an empty cell, every value is its text, and
 * a record's line is its row number (1-based).
 *
 * The rows' canonical text — exactly what `COPY (query) TO STDOUT WITH (FORMAT csv, HEADER)`
 * prints — is hashed while reading, so the run's evidence holds a sha256 an auditor can reproduce
 * with psql.  The same text, written to a spool file, is what the archive keeps of the source:
 * `audit rerun` reads it back as a CSV file (zf_run_opts.replay_postgres). */
#ifndef ZF_PGSOURCE_H
#define ZF_PGSOURCE_H

#include <stdint.h>
#include <stdio.h>

#include "zf_reader.h"

/* Connect with conninfo (a libpq URL or key=value string; "" or "env": the PG* environment),
 * run query and read its header.  name is how errors name the source ("postgres:<source>").
 * opts->columns are the wanted headers; opts->format and encoding are ignored.  spool, when not
 * NULL, receives the canonical text as it is hashed (the caller closes it and checks it).
 * Fails with ZF_ERR_EXTERNAL when the server cannot be reached or the query fails at once. */
ZF_MUST_CHECK zf_status zf_reader_open_pg(zf_reader **out, const char *name, const char *conninfo, const char *query,
                                          const zf_reader_opts *opts, FILE *spool, zf_error *err);

/* Whether r was opened by zf_reader_open_pg. */
bool zf_reader_is_pg(const zf_reader *r);

/* The sha256 (hex) and size in bytes of the canonical text of the rows read so far; final once
 * zf_reader_next() has reported the end (or an error). */
void zf_reader_pg_digest(zf_reader *r, char hex[65], uint64_t *size);

#endif
