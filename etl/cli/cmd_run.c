/* cmd_run.c — `zhongfu run`: its options, the exit status of a run and the summary a
 * person reads on the terminal (per responsible unit, figures not yet due, policy
 * linkage, superseded reports). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "zf_archive.h"
#include "zf_display.h"
#include "zf_log.h"
#include "zf_pipeline.h"
#include "zf_value.h"

static const char run_help[] =
    "usage: zhongfu run --plan PLAN --data DIR --out DIR [options]\n"
    "\n"
    "Read the departmental exports in DIR, check every record, compute every indicator of\n"
    "PLAN for each plan year up to the as-of date, and publish results.csv, quality.csv,\n"
    "rejects.csv, orphans.csv, manifest.json, a workbook per year, charts and index.html in\n"
    "--out.  The outputs are written aside and replace --out only when all were written.\n"
    "\n"
    "  --plan PLAN          plan id (templates/plans/PLAN.json), e.g. yuyao\n"
    "  --data DIR           the directory of departmental exports\n"
    "  --out DIR            where the run's outputs are published\n"
    "  --as-of YYYY-MM-DD   the reference date (default: today)\n"
    "  --year Y             compute only plan year Y (repeatable)\n"
    "  --templates DIR      definitions directory (default: found next to the program)\n"
    "  --no-charts          do not draw charts\n"
    "  --no-workbook        do not write the Excel workbooks\n"
    "  --gnuplot PATH       the gnuplot program (default: gnuplot from PATH)\n"
    "  --quiet              no progress and no summary on the terminal\n"
    "  --config FILE        settings for nightly runs (key = value; see\n"
    "                       templates/zhongfu.conf.example); options override it\n"
    "  --log FILE           append one JSON object per line: stages, files, counts, errors\n"
    "  --archive DIR        keep inputs, definitions and outputs by hash for audits\n"
    "                       (default $ZHONGFU_ARCHIVE or ~/.local/share/zhongfu/archive)\n"
    "  --no-archive         do not archive this run\n"
    "  --export-accepted DIR  also write each source's accepted records, typed, to\n"
    "                       DIR/<source>.csv (unmasked: for the warehouse and cross-checks)\n"
    "  --store URL          also write the run into the PostgreSQL warehouse, in one transaction,\n"
    "                       before publishing (postgresql://…, a conninfo, or 'env' for PGHOST…);\n"
    "                       a failure there fails the run (docs/warehouse.md)\n"
    "\n"
    "Exit status: 0 complete; 3 published, but a source failed, an indicator has no data or\n"
    "the charts were skipped; 2 usage error; 1 failure (the previous outputs stay).\n";

typedef struct run_args {
    zf_run_opts o;
    int years[16];
    bool quiet, no_archive;
    const char *templates;
    const char *log;
    char archive_buf[4096];
    zf_config cfg;
} run_args;

static const char *config_path(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            return argv[i + 1];
        if (!strncmp(argv[i], "--config=", 9))
            return argv[i] + 9;
    }
    const char *env = getenv("ZHONGFU_CONFIG");
    return env && *env ? env : NULL;
}

/* The configuration file gives the defaults; options given on the command line win. */
static int apply_config(int argc, char **argv, run_args *a)
{
    const char *path = config_path(argc, argv);
    if (!path)
        return 0;
    zf_error err;
    zf_error_clear(&err);
    if (zf_config_load(&a->cfg, path, &err) != ZF_OK) {
        zf_cli_error("configuration", &err);
        return ZF_EXIT_USAGE;
    }
    const zf_config *c = &a->cfg;
    a->o.plan_id = zf_config_get(c, "plan");
    a->o.data_dir = zf_config_get(c, "data");
    a->o.out_dir = zf_config_get(c, "out");
    a->o.archive = zf_config_get(c, "archive");
    a->o.store = zf_config_get(c, "store");
    a->o.gnuplot = zf_config_get(c, "gnuplot");
    a->templates = zf_config_get(c, "templates");
    a->log = zf_config_get(c, "log");
    a->o.charts = zf_config_flag(c, "charts", true);
    a->o.workbooks = zf_config_flag(c, "workbooks", true);
    const char *as_of = zf_config_get(c, "as_of");
    if (as_of && !zf_cli_parse_date(as_of, &a->o.as_of)) {
        fprintf(stderr, "zhongfu run: %s: as_of wants a date YYYY-MM-DD, not '%s'\n", path, as_of);
        return ZF_EXIT_USAGE;
    }
    return 0;
}

static int parse(int argc, char **argv, run_args *a)
{
    static const struct option opts[] = {
        {"plan", required_argument, 0, 'p'},    {"data", required_argument, 0, 'd'},
        {"out", required_argument, 0, 'o'},     {"as-of", required_argument, 0, 'a'},
        {"year", required_argument, 0, 'y'},    {"templates", required_argument, 0, 't'},
        {"no-charts", no_argument, 0, 'C'},     {"no-workbook", no_argument, 0, 'W'},
        {"gnuplot", required_argument, 0, 'g'}, {"quiet", no_argument, 0, 'q'},
        {"export-accepted", required_argument, 0, 'E'},
        {"store", required_argument, 0, 'S'},
        {"archive", required_argument, 0, 'A'},  {"no-archive", no_argument, 0, 'N'},
        {"config", required_argument, 0, 'F'},   {"log", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    a->o.charts = a->o.workbooks = true;
    a->o.as_of = zf_cli_today();
    int c = apply_config(argc, argv, a);
    if (c)
        return c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:d:o:a:y:t:g:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a->o.plan_id = optarg; break;
        case 'd': a->o.data_dir = optarg; break;
        case 'o': a->o.out_dir = optarg; break;
        case 't': a->templates = optarg; break;
        case 'g': a->o.gnuplot = optarg; break;
        case 'C': a->o.charts = false; break;
        case 'W': a->o.workbooks = false; break;
        case 'q': a->quiet = true; break;
        case 'E': a->o.accepted_dir = optarg; break;
        case 'S': a->o.store = optarg; break;
        case 'A': a->o.archive = optarg; break;
        case 'N': a->no_archive = true; break;
        case 'F': break;   /* read before the other options */
        case 'L': a->log = optarg; break;
        case 'h': fputs(run_help, stdout); return -1;
        case 'a':
            if (!zf_cli_parse_date(optarg, &a->o.as_of)) {
                fprintf(stderr, "zhongfu run: --as-of wants a date YYYY-MM-DD, not '%s'\n", optarg);
                return ZF_EXIT_USAGE;
            }
            break;
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1900 || y > 9999 || a->o.n_years >= 16) {
                fprintf(stderr, "zhongfu run: --year wants a year like 2024, not '%s'\n", optarg);
                return ZF_EXIT_USAGE;
            }
            a->years[a->o.n_years++] = (int)y;
            break;
        }
        default: return zf_cli_usage("run", run_help, NULL);
        }
    }
    if (optind < argc)
        return zf_cli_usage("run", run_help, "unexpected argument (options only)");
    if (!a->o.plan_id || !a->o.data_dir || !a->o.out_dir)
        return zf_cli_usage("run", run_help, "--plan, --data and --out are required");
    a->o.years = a->years;
    return 0;
}

/* Outcomes of a unit's indicators in one year (an indicator with two units counts for both;
 * a multi-part indicator counts once, by its combined verdict). */
static void unit_counts(const zf_run *run, const char *unit, size_t year, int n[ZF_OUTCOME_COUNT])
{
    const zf_plan *p = &run->defs->plan;
    for (size_t r = 0; r < run->n_results; r++) {
        const zf_result *res = &run->results[r];
        if (res->region || res->year != year || res->part)
            continue;
        const zf_indicator *ind = &p->indicators[res->indicator];
        for (size_t v = 0; v < ind->n_units; v++)
            if (!strcmp(ind->units[v], unit))
                n[res->outcome]++;
    }
}

static bool unit_seen_before(const zf_plan *p, size_t i, const char *unit)
{
    for (size_t k = 0; k < i; k++)
        for (size_t v = 0; v < p->indicators[k].n_units; v++)
            if (!strcmp(p->indicators[k].units[v], unit))
                return true;
    return false;
}

/* The last closed year (what was judged) and, mid-year, the running one. */
static void summary_years(const zf_run *run, size_t *closed, size_t *open)
{
    *closed = *open = SIZE_MAX;
    for (size_t k = run->n_years; k-- > 0;) {
        size_t y = run->years[k];
        if (zf_run_year_open(run, y))
            *open = y;
        else if (*closed == SIZE_MAX)
            *closed = y;
    }
}

/* The reports a later 填报日期 superseded: a closed year's figure can change between two
 * runs when a correction arrives, and the summary says which report moved it.  A long
 * list is cut; the JSON log has every one. */
static void summary_superseded(FILE *f, const zf_run *run)
{
    enum { SHOWN = 20 };
    if (!run->n_superseded)
        return;
    fprintf(f, "\n更正: %zu 份填报被更晚的填报日期取代 (指标 年度 地区: 被取代 → 采用)", run->n_superseded);
    for (size_t i = 0; i < run->n_superseded && i < SHOWN; i++) {
        const zf_superseded_report *r = &run->superseded[i];
        char a[11], b[11];
        fprintf(f, "\n  %d %d %s: %s → %s", run->defs->plan.indicators[r->indicator].number, r->year,
                run->defs->regions.regions[r->region].name, zf_date_format(r->date, a),
                zf_date_format(r->by_date, b));
    }
    if (run->n_superseded > SHOWN)
        fprintf(f, "\n  … 另 %zu 份 (全部见 --log 日志的 compute/superseded 事件)", run->n_superseded - SHOWN);
    fputc('\n', f);
}

/* The open year's 无数据 that are only not yet due, by number: the operator sees they are
 * expected, and that they are why the exit status is still 0. */
static void summary_not_due(FILE *f, const zf_run *run, size_t open)
{
    const zf_plan *p = &run->defs->plan;
    int n = 0;
    for (size_t r = 0; open != SIZE_MAX && r < run->n_results; r++) {
        const zf_result *res = &run->results[r];
        if (res->region || res->year != open || res->part || res->outcome != ZF_OUTCOME_NO_DATA ||
            res->nodata != ZF_NODATA_NOT_DUE)
            continue;
        if (!n++)
            fprintf(f, "\n%d年 年度数据尚未到报送期(正常, 不算不完整): 指标 ", p->years[open]);
        else
            fputs("、", f);
        fprintf(f, "%d", p->indicators[res->indicator].number);
    }
    if (n)
        fputc('\n', f);
}

static void summary(FILE *f, const zf_run_outcome *out)
{
    const zf_run *run = out->run;
    const zf_plan *p = &run->defs->plan;
    size_t closed, open;
    summary_years(run, &closed, &open);
    fprintf(f, "\n%s\n截至 %s  运行编号 %s\n\n", p->title, run->as_of_text, run->run_id);
    zf_cli_pad(f, "责任单位", 26);
    if (closed != SIZE_MAX)
        fprintf(f, "  %d年: 达标 未达标 无数据", p->years[closed]);
    if (open != SIZE_MAX)
        fprintf(f, "  %d年(截至日期): 进行中 无数据", p->years[open]);
    fputc('\n', f);
    for (size_t i = 0; i < p->n_indicators; i++) {
        for (size_t u = 0; u < p->indicators[i].n_units; u++) {
            const char *unit = p->indicators[i].units[u];
            if (unit_seen_before(p, i, unit))
                continue;
            zf_cli_pad(f, unit, 26);
            if (closed != SIZE_MAX) {
                int n[ZF_OUTCOME_COUNT] = {0};
                unit_counts(run, unit, closed, n);
                fprintf(f, "         %4d %6d %6d", n[ZF_OUTCOME_MET], n[ZF_OUTCOME_NOT_MET], n[ZF_OUTCOME_NO_DATA]);
            }
            if (open != SIZE_MAX) {
                int n[ZF_OUTCOME_COUNT] = {0};
                unit_counts(run, unit, open, n);
                fprintf(f, "                   %6d %6d", n[ZF_OUTCOME_IN_PROGRESS], n[ZF_OUTCOME_NO_DATA]);
            }
            fputc('\n', f);
        }
    }
    summary_not_due(f, run, open);
    for (size_t k = 0; k < run->n_policies; k++) {
        const zf_policy_result *pr = &run->policies[k];
        if (pr->verdict != ZF_POLICY_FAIL)
            continue;
        char a[64], b[64], label[768];
        /* the digits that keep the two apart: never "27234.00 对 27234.00 不符合" */
        int places = zf_display_places(pr->a, pr->b, 2);
        fprintf(f, "\n政策联动 不符合 %d年: %s (%s 对 %s)", p->years[pr->year], zf_policy_label(run, pr, label, sizeof label),
                zf_frac_fixed(pr->a, places, a, sizeof a), zf_frac_fixed(pr->b, places, b, sizeof b));
    }
    summary_superseded(f, run);
    int64_t read = 0, rejected = 0;
    for (size_t i = 0; i < run->n_files; i++) {
        read += run->files[i].rows_read;
        rejected += run->files[i].rows_rejected;
        if (run->files[i].message && run->files[i].message[0])
            fprintf(f, "\n注意 %s %s: %s", run->defs->sources.sources[run->files[i].source].id,
                    run->files[i].name, run->files[i].message);
    }
    fprintf(f, "\n\n记录 %lld 条, 拒绝 %lld 条, 孤立记录(指向登记册中不存在的户) %lld 条\n", (long long)read,
            (long long)rejected, (long long)run->orphans_total);
    if (out->charts_skipped)
        fprintf(f, "图表未生成: %s\n", out->charts_message);
}

int zf_cmd_run(int argc, char **argv)
{
    run_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? ZF_EXIT_OK : rc;
    char tbuf[4096];
    a.o.templates_dir = zf_cli_templates(a.templates, tbuf, sizeof tbuf);
    if (!zf_cli_plan_known(a.o.templates_dir, a.o.plan_id)) {
        /* a mistyped plan is the operator's to fix (2), not a failure of the run (1) */
        rc = zf_cli_unknown_plan("run", a.o.templates_dir, a.o.plan_id);
        zf_config_free(&a.cfg);
        return rc;
    }
    if (a.no_archive)
        a.o.archive = NULL;
    else if (!a.o.archive)
        a.o.archive = zf_archive_default(a.archive_buf, sizeof a.archive_buf);
    if (!a.quiet && isatty(fileno(stderr)))
        a.o.progress = stderr;
    zf_run_outcome out;
    zf_error err;
    zf_error_clear(&err);
    zf_log log;
    if (zf_log_open(&log, a.log, &err) != ZF_OK) {
        zf_cli_error("run not started", &err);
        zf_config_free(&a.cfg);
        return ZF_EXIT_FAILURE;
    }
    a.o.log = &log;
    zf_log_event(&log, "run", "start", "plan", 's', a.o.plan_id, "data", 's', a.o.data_dir, "out", 's',
                 a.o.out_dir, "version", 's', ZF_VERSION, (char *)NULL);
    zf_status st = zf_pipeline_run(&a.o, &out, &err);
    if (st != ZF_OK) {
        char msg[2048];
        zf_log_event(&log, "run", "error", "message", 's', zf_error_format(&err, msg, sizeof msg), (char *)NULL);
        zf_cli_error(st == ZF_ERR_LOCKED ? "not started" : "run failed, nothing was published", &err);
        rc = st == ZF_ERR_USAGE ? ZF_EXIT_USAGE : st == ZF_ERR_LOCKED ? ZF_EXIT_LOCKED : ZF_EXIT_FAILURE;
    } else {
        if (!a.quiet)
            summary(stdout, &out);
        rc = out.run->incomplete ? ZF_EXIT_INCOMPLETE : ZF_EXIT_OK;
        if (!a.quiet)
            printf("输出: %s%s\n", a.o.out_dir, rc ? " (不完整: 见 quality.csv 与 results.csv 的 无数据)" : "");
    }
    zf_log_event(&log, "run", "end", "exit", 'i', (long long)rc, "seconds", 'f', zf_log_elapsed(&log), (char *)NULL);
    zf_log_close(&log);
    /* The outputs do not depend on the log, so they are published without it; but whoever
     * reads the log tonight reads part of the run, and the exit status must say so. */
    if (log.write_errno) {
        fprintf(stderr, "zhongfu: warning: the log %s could not be written (%s); it lacks the rest of this run\n",
                log.path, strerror(log.write_errno));
        if (rc == ZF_EXIT_OK)
            rc = ZF_EXIT_INCOMPLETE;
    }
    zf_run_outcome_free(&out);
    zf_config_free(&a.cfg);
    return rc;
}
