/* warehouse_query.c — reading the warehouse for the command line: one indicator's values
 * across the stored runs of a plan with the inputs that changed (`zhongfu history`), the
 * indicator's title, the migrations applied (`zhongfu db status`).  Rows come back as text
 * (zf_warehouse_rows), so that the commands need no libpq of their own. */
#include "warehouse_internal.h"

#include <stdlib.h>

struct zf_warehouse_rows {
    PGresult *res;
};

static zf_warehouse_rows *rows_of(PGresult *res)
{
    zf_warehouse_rows *rows = malloc(sizeof *rows);
    if (!rows) {
        PQclear(res);
        return NULL;
    }
    rows->res = res;
    return rows;
}

const char *zf_warehouse_rows_error(const zf_warehouse_rows *rows)
{
    if (!rows)
        return "";
    ExecStatusType s = PQresultStatus(rows->res);
    return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK ? NULL : PQresultErrorMessage(rows->res);
}

int zf_warehouse_rows_count(const zf_warehouse_rows *rows)
{
    return rows && PQresultStatus(rows->res) == PGRES_TUPLES_OK ? PQntuples(rows->res) : 0;
}

const char *zf_warehouse_rows_value(const zf_warehouse_rows *rows, int row, int col)
{
    return PQgetvalue(rows->res, row, col);
}

void zf_warehouse_rows_free(zf_warehouse_rows *rows)
{
    if (!rows)
        return;
    PQclear(rows->res);
    free(rows);
}

/* Runs of the plan in order (as-of date, first stored); for each, the inputs that differ from
 * the previous run's (same source and file, other sha256; or only in one of the two). */
static const char history_sql[] =
    "WITH ordered AS ("
    "  SELECT run_id, plan, plan_sha256, as_of, first_stored, top_region,"
    "         lag(run_id) OVER (ORDER BY as_of, first_stored, run_id) AS prev_run"
    "  FROM runs WHERE plan = $1),"
    " diffs AS ("
    "  SELECT o.run_id, d.src, d.label"
    "  FROM ordered o CROSS JOIN LATERAL ("
    "    SELECT coalesce(c.source, p.source) AS src,"
    "           CASE WHEN p.source IS NULL THEN '+' WHEN c.source IS NULL THEN '-' ELSE '~' END ||"
    "           CASE WHEN coalesce(c.file, p.file) = '' THEN coalesce(c.source, p.source) || '(missing)'"
    "                ELSE coalesce(c.file, p.file) END AS label"
    "    FROM (SELECT source, file, sha256 FROM run_inputs WHERE run_id = o.run_id) c"
    "    FULL JOIN (SELECT source, file, sha256 FROM run_inputs WHERE run_id = o.prev_run) p"
    "      ON c.source = p.source AND c.file = p.file"
    "    WHERE c.sha256 IS DISTINCT FROM p.sha256) d"
    "  WHERE o.prev_run IS NOT NULL),"
    " changes AS ("
    "  SELECT run_id, string_agg(label, ' ' ORDER BY src, label) AS changed FROM diffs GROUP BY run_id)"
    " SELECT o.run_id, o.as_of::text, r.year, r.region, r.part, r.value, r.status, r.target,"
    "        CASE WHEN o.prev_run IS NULL THEN '(first stored run)'"
    "             ELSE coalesce(ch.changed, '(no input changed)') END"
    " FROM ordered o"
    " JOIN results r ON r.run_id = o.run_id"
    " LEFT JOIN changes ch ON ch.run_id = o.run_id"
    " LEFT JOIN plan_indicators pi ON pi.plan = o.plan AND pi.plan_sha256 = o.plan_sha256"
    "      AND pi.indicator = r.indicator"
    " WHERE r.indicator = $2::integer"
    "   AND ($3::integer IS NULL OR r.year = $3::integer)"
    "   AND r.region = coalesce($4, o.top_region)"
    "   AND ($5::text IS NULL OR r.part = $5)"
    " ORDER BY coalesce(array_position(pi.parts, r.part), 0), r.part, r.year, o.as_of, o.first_stored,"
    "          o.run_id";

zf_warehouse_rows *zf_warehouse_history(zf_warehouse *w, const zf_history_query *q)
{
    const char *const params[] = {q->plan, q->indicator, q->year, q->region, q->part};
    return rows_of(PQexecParams(w->conn, history_sql, 5, NULL, params, NULL, NULL, 0));
}

zf_warehouse_rows *zf_warehouse_indicator_title(zf_warehouse *w, const char *plan, const char *indicator)
{
    /* the indicator's name, from the definitions of the latest stored run */
    const char *const np[] = {plan, indicator};
    return rows_of(PQexecParams(w->conn,
                                "SELECT i.indicator || ' ' || i.name FROM plan_indicators i JOIN runs r "
                                "ON r.plan = i.plan AND r.plan_sha256 = i.plan_sha256 "
                                "WHERE i.plan = $1 AND i.indicator = $2::integer "
                                "ORDER BY r.as_of DESC, r.first_stored DESC LIMIT 1",
                                2, NULL, np, NULL, NULL, 0));
}

zf_warehouse_rows *zf_warehouse_migrations_applied(zf_warehouse *w)
{
    return rows_of(PQexec(w->conn, "SELECT version, name, applied_at, applied_by FROM schema_version ORDER BY version"));
}
