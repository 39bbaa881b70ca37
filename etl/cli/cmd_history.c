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

static void print_csv(const zf_warehouse_rows *res)
{
    static const char *const head[] = {"run_id", "as_of", "year", "region", "part", "value", "status",
                                       "target", "changed_inputs"};
    for (int k = 0; k < 9; k++) {
        if (k)
            putchar(',');
        fputs(head[k], stdout);
    }
    putchar('\n');
    for (int r = 0; r < zf_warehouse_rows_count(res); r++) {
        for (int k = 0; k < 9; k++) {
            if (k)
                putchar(',');
            zf_csv_field(stdout, zf_warehouse_rows_value(res, r, k));
        }
        putchar('\n');
    }
}

static void print_table(const zf_warehouse_rows *res, const char *title)
{
    bool parts = false;
    for (int r = 0; r < zf_warehouse_rows_count(res); r++)
        parts |= zf_warehouse_rows_value(res, r, 4)[0] != '\0';
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
    for (int r = 0; r < zf_warehouse_rows_count(res); r++) {
        zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 0), 18);
        zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 1), 12);
        zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 2), 6);
        zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 3), 14);
        if (parts)
            zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 4), 16);
        const char *v = zf_warehouse_rows_value(res, r, 5);
        zf_cli_pad(stdout, *v ? v : "—", 16);
        zf_cli_pad(stdout, zf_warehouse_rows_value(res, r, 6), 8);
        fputs(zf_warehouse_rows_value(res, r, 8), stdout);
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
    zf_warehouse *conn = NULL;
    zf_warehouse_rows *res = NULL, *name = NULL;
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
    const zf_history_query query = {a.plan, a.indicator, a.year, a.region, a.part};
    res = zf_warehouse_history(conn, &query);
    if (zf_warehouse_rows_error(res)) {
        fprintf(stderr, "zhongfu: history: %s", zf_warehouse_rows_error(res));
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    if (zf_warehouse_rows_count(res) == 0) {
        fprintf(stderr, "zhongfu history: no stored run of plan %s has indicator %s%s%s%s%s\n", a.plan,
                a.indicator, a.year ? " in " : "", a.year ? a.year : "", a.region ? " for " : "",
                a.region ? a.region : "");
        rc = ZF_EXIT_FAILURE;
        goto cleanup;
    }
    if (a.csv) {
        print_csv(res);
    } else {
        name = zf_warehouse_indicator_title(conn, a.plan, a.indicator);
        print_table(res, zf_warehouse_rows_count(name) ? zf_warehouse_rows_value(name, 0, 0) : NULL);
    }
    rc = ZF_EXIT_OK;
cleanup:
    zf_warehouse_rows_free(name);
    zf_warehouse_rows_free(res);
    zf_warehouse_close(conn);
    return rc;
}
