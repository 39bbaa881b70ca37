/* cmd_history.c — `zhongfu history`: one indicator's value across the runs stored in the
 * warehouse, with the input files that changed since the run before. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zf_csvout.h"
#include "zf_warehouse.h"

static const char history_help[] =
    "usage: zhongfu history --store URL --plan PLAN --indicator N [--year Y] [--region R]\n"
    "                       [--part NAME] [--csv]\n"
    "\n"
    "The value of indicator N of PLAN in every run stored in the warehouse (zhongfu run --store),\n"
    "oldest first: run id, as-of date, year, value, status, and which input files changed\n"
    "against the previous stored run of the plan (by sha256: ~ changed, + new, - gone).\n"
    "\n"
    "  --store URL      postgresql://… or a libpq conninfo, or 'env' for PGHOST, PGDATABASE, …\n"
    "  --plan PLAN      plan id, e.g. yuyao\n"
    "  --indicator N    the indicator's number in the plan\n"
    "  --year Y         only plan year Y (default: every year)\n"
    "  --region R       a town/street (default: the plan's top region)\n"
    "  --part NAME      only this part of a several-part indicator\n"
    "  --csv            machine-readable CSV instead of a table\n"
    "\n"
    "Exit status: 0 rows printed; 1 failure or no stored run has the value; 2 usage error.\n";

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

typedef struct history_args {
    const char *store, *plan, *indicator, *year, *region, *part;
    bool csv;
} history_args;

static int parse(int argc, char **argv, history_args *a)
{
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"plan", required_argument, 0, 'p'},
        {"indicator", required_argument, 0, 'i'}, {"year", required_argument, 0, 'y'},
        {"region", required_argument, 0, 'r'}, {"part", required_argument, 0, 'P'},
        {"csv", no_argument, 0, 'c'},          {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': a->store = optarg; break;
        case 'p': a->plan = optarg; break;
        case 'i': a->indicator = optarg; break;
        case 'y': a->year = optarg; break;
        case 'r': a->region = optarg; break;
        case 'P': a->part = optarg; break;
        case 'c': a->csv = true; break;
        case 'h': fputs(history_help, stdout); return -1;
        default: return zf_cli_usage("history", history_help, NULL);
        }
    }
    if (optind != argc || !a->store || !a->plan || !a->indicator) {
        return zf_cli_usage("history", history_help, "--store, --plan and --indicator are required");
    }
    const char *nums[] = {a->indicator, a->year};
    for (size_t i = 0; i < 2; i++) {
        if (!nums[i])
            continue;
        char *end;
        long v = strtol(nums[i], &end, 10);
        if (*end || end == nums[i] || v < 1 || v > 9999) {
            fprintf(stderr, "zhongfu history: --%s wants a number, not '%s'\n", i ? "year" : "indicator",
                    nums[i]);
            return ZF_EXIT_USAGE;
        }
    }
    return 0;
}

static void print_csv(const PGresult *res)
{
    static const char *const head[] = {"run_id", "as_of", "year", "region", "part", "value", "status",
                                       "target", "changed_inputs"};
    for (int k = 0; k < 9; k++) {
        if (k)
            putchar(',');
        fputs(head[k], stdout);
    }
    putchar('\n');
    for (int r = 0; r < PQntuples(res); r++) {
        for (int k = 0; k < 9; k++) {
            if (k)
                putchar(',');
            zf_csv_field(stdout, PQgetvalue(res, r, k));
        }
        putchar('\n');
    }
}

static void print_table(const PGresult *res, const char *title)
{
    bool parts = false;
    for (int r = 0; r < PQntuples(res); r++)
        parts |= PQgetvalue(res, r, 4)[0] != '\0';
    if (title)
        printf("%s\n\n", title);
    zf_cli_pad(stdout, "运行编号", 18);
    zf_cli_pad(stdout, "截至", 12);
    zf_cli_pad(stdout, "年度", 6);
    zf_cli_pad(stdout, "地区", 14);
    if (parts)
        zf_cli_pad(stdout, "分项", 16);
    zf_cli_pad(stdout, "值", 16);
    zf_cli_pad(stdout, "状态", 8);
    fputs("变化的输入\n", stdout);
    for (int r = 0; r < PQntuples(res); r++) {
        zf_cli_pad(stdout, PQgetvalue(res, r, 0), 18);
        zf_cli_pad(stdout, PQgetvalue(res, r, 1), 12);
        zf_cli_pad(stdout, PQgetvalue(res, r, 2), 6);
        zf_cli_pad(stdout, PQgetvalue(res, r, 3), 14);
        if (parts)
            zf_cli_pad(stdout, PQgetvalue(res, r, 4), 16);
        const char *v = PQgetvalue(res, r, 5);
        zf_cli_pad(stdout, *v ? v : "—", 16);
        zf_cli_pad(stdout, PQgetvalue(res, r, 6), 8);
        fputs(PQgetvalue(res, r, 8), stdout);
        putchar('\n');
    }
}

int zf_cmd_history(int argc, char **argv)
{
    history_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? ZF_EXIT_OK : rc;
    zf_error err;
    zf_error_clear(&err);
    PGconn *conn = NULL;
    PGresult *res = NULL, *name = NULL;
    int version = 0;
    if (zf_warehouse_connect(&conn, a.store, &err) != ZF_OK ||
        zf_warehouse_version(conn, &version, &err) != ZF_OK) {
        zf_cli_error("history", &err);
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    if (version < 1) {
        fprintf(stderr, "zhongfu history: the warehouse has no schema yet (zhongfu db migrate)\n");
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    const char *const params[] = {a.plan, a.indicator, a.year, a.region, a.part};
    res = PQexecParams(conn, history_sql, 5, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, "zhongfu: history: %s", PQresultErrorMessage(res));
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    if (PQntuples(res) == 0) {
        fprintf(stderr, "zhongfu history: no stored run of plan %s has indicator %s%s%s%s%s\n", a.plan,
                a.indicator, a.year ? " in " : "", a.year ? a.year : "", a.region ? " for " : "",
                a.region ? a.region : "");
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    if (a.csv) {
        print_csv(res);
    } else {
        /* the indicator's name, from the definitions of the latest stored run */
        const char *const np[] = {a.plan, a.indicator};
        name = PQexecParams(conn,
                            "SELECT i.indicator || ' ' || i.name FROM plan_indicators i JOIN runs r "
                            "ON r.plan = i.plan AND r.plan_sha256 = i.plan_sha256 "
                            "WHERE i.plan = $1 AND i.indicator = $2::integer "
                            "ORDER BY r.as_of DESC, r.first_stored DESC LIMIT 1",
                            2, NULL, np, NULL, NULL, 0);
        print_table(res, PQresultStatus(name) == PGRES_TUPLES_OK && PQntuples(name) ? PQgetvalue(name, 0, 0)
                                                                                   : NULL);
    }
    rc = ZF_EXIT_OK;
cleanup:
    PQclear(name);
    PQclear(res);
    PQfinish(conn);
    return rc;
}
