/* warehouse_internal.h — report: what the files of the warehouse module share:
 * report/warehouse.c (connecting, the small libpq helpers), warehouse_schema.c (migrations,
 * the definitions and the record tables) and warehouse_load.c (a run stored in one
 * transaction, records loaded with COPY).  Private to report. */
#ifndef ZF_WAREHOUSE_INTERNAL_H
#define ZF_WAREHOUSE_INTERNAL_H

#include <libpq-fe.h>

#include "zf_warehouse.h"

/* pg_advisory_xact_lock key that serializes writers of the warehouse ("zhongfu") */
#define LOCK_KEY "34473843346327669"

struct zf_warehouse {
    PGconn *conn;
};

/* warehouse.c */
/* zf_warehouse_connect's connection itself */
ZF_MUST_CHECK zf_status zf_wh_connect(PGconn **out, const char *store, zf_error *err);
ZF_MUST_CHECK zf_status zf_wh_pg_fail(zf_error *err, PGconn *c, const PGresult *res, const char *what);
/* Run sql with bound text parameters; *out (may be NULL) keeps the result of a query. */
ZF_MUST_CHECK zf_status zf_wh_q(PGconn *c, const char *sql, int n, const char *const *vals, PGresult **out,
                                zf_error *err);
ZF_MUST_CHECK zf_status zf_wh_q0(PGconn *c, const char *sql, zf_error *err);
void zf_wh_rollback(PGconn *c);
/* PQescapeIdentifier into a malloc'ed string the caller frees with free() */
char *zf_wh_ident(PGconn *c, const char *name);
ZF_MUST_CHECK zf_status zf_wh_read_all(const char *path, char **out, size_t *len, zf_error *err);

/* warehouse_schema.c */
char *zf_wh_years_array(const zf_plan *p, const size_t *idx, size_t n, char *buf, size_t size);
/* plans, plan_indicators, plan_sources (once per definition hash) and the record tables */
ZF_MUST_CHECK zf_status zf_wh_store_definitions(PGconn *c, const zf_defs *defs, zf_error *err);
ZF_MUST_CHECK zf_status zf_wh_check_version(PGconn *c, zf_error *err);
ZF_MUST_CHECK zf_status zf_wh_version(PGconn *conn, int *version, zf_error *err);

#endif
