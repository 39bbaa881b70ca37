/* zf_warehouse.h — the PostgreSQL warehouse of runs: a versioned schema (sql/migrations),
 * and a run written in ONE transaction — the run, its inputs, results, rejects, policy
 * verdicts and the accepted records of every source (rec_<source>, typed columns made from
 * the source definitions, loaded with COPY).  A failure or a kill half way leaves nothing;
 * storing the same run (same run_id) again replaces it.  See docs/warehouse.md. */
#ifndef ZF_WAREHOUSE_H
#define ZF_WAREHOUSE_H

#include <stdbool.h>
#include <stdio.h>

#include "zf_defs.h"
#include "zf_error.h"
#include "zf_run.h"

/* The schema version this program writes; `zhongfu db migrate` brings a database there. */
#define ZF_WAREHOUSE_SCHEMA 1

/* A connection to the warehouse (libpq's underneath, private to report/warehouse*.c). */
typedef struct zf_warehouse zf_warehouse;

/* Connect: store is a libpq URL or conninfo ("postgresql://host/db", "host=… dbname=…"), or
 * "env" for the libpq environment (PGHOST, PGDATABASE, …).  The session is UTF-8 with
 * notices below warnings silenced. */
ZF_MUST_CHECK zf_status zf_warehouse_connect(zf_warehouse **out, const char *store, zf_error *err);
/* Disconnect and free w (NULL: nothing). */
void zf_warehouse_close(zf_warehouse *w);

/* Apply the migrations NNN_name.sql of sql_dir that are not applied yet, each in its own
 * transaction, in order.  *applied (may be NULL) = how many were applied now (0: a no-op).
 * A migration that was applied but whose file changed since is an error.  log: a line per
 * migration applied, or NULL. */
ZF_MUST_CHECK zf_status zf_warehouse_migrate(zf_warehouse *w, const char *sql_dir, FILE *log, int *applied,
                                             zf_error *err);

/* The applied schema version (0: none). */
ZF_MUST_CHECK zf_status zf_warehouse_version(zf_warehouse *w, int *version, zf_error *err);

/* Create (or complete with missing columns) the record table of every source of defs, and
 * record the definitions (plans, plan_indicators, plan_sources).  One transaction. */
ZF_MUST_CHECK zf_status zf_warehouse_prepare(zf_warehouse *w, const zf_defs *defs, zf_error *err);

typedef struct zf_warehouse_input {
    const char *store;         /* see zf_warehouse_connect */
    const char *stage_dir;     /* the run's written outputs: results.csv, rejects.csv, manifest.json */
    const char *accepted_dir;  /* <source>.csv typed accepted records (zf_accepted_csv_*) */
} zf_warehouse_input;

/* Write run into the warehouse in one transaction (replacing a stored run of the same id).
 * Test hook: ZF_WAREHOUSE_FAULT=fail makes it fail after the first COPY chunk of records,
 * =kill makes the process SIGKILL itself there, =stall:N sleeps N seconds there. */
ZF_MUST_CHECK zf_status zf_warehouse_store(const zf_run *run, const zf_warehouse_input *in, zf_error *err);

/* Identifier name of the record table of a source ("rec_" + id). */
const char *zf_warehouse_record_table(const zf_source *src, char *buf, size_t size);
/* SQL type of a column in its record table: date, numeric(18,2), bigint, boolean, … */
const char *zf_warehouse_sql_type(zf_coltype t);

/* Rows of text from a query of the warehouse (the functions below). */
typedef struct zf_warehouse_rows zf_warehouse_rows;
/* NULL when the query succeeded, else what the server said (ending in a line break). */
const char *zf_warehouse_rows_error(const zf_warehouse_rows *rows);
/* The rows of a query that succeeded; 0 after a failure. */
int zf_warehouse_rows_count(const zf_warehouse_rows *rows);
const char *zf_warehouse_rows_value(const zf_warehouse_rows *rows, int row, int col);
void zf_warehouse_rows_free(zf_warehouse_rows *rows);

/* `zhongfu history`: the value of one indicator of a plan in every stored run, oldest first;
 * year, region and part may be NULL (every year, the plan's top region, every part).
 * Columns: run_id, as_of, year, region, part, value, status, target, changed_inputs (the
 * inputs that differ from the previous stored run's: ~ changed, + new, - gone). */
typedef struct zf_history_query {
    const char *plan, *indicator, *year, *region, *part;
} zf_history_query;
zf_warehouse_rows *zf_warehouse_history(zf_warehouse *w, const zf_history_query *q);
/* One row, "N name", from the definitions of the plan's latest stored run (none: 0 rows). */
zf_warehouse_rows *zf_warehouse_indicator_title(zf_warehouse *w, const char *plan, const char *indicator);
/* The applied migrations: version, name, applied_at, applied_by. */
zf_warehouse_rows *zf_warehouse_migrations_applied(zf_warehouse *w);

#endif
