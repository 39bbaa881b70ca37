/* cmd_plan.c — `zhongfu plan show | list`: a plan's indicators and targets as a table,
 * and the plans the templates hold. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zf_defs.h"

static const char plan_help[] =
    "usage: zhongfu plan show PLAN [--templates DIR]\n"
    "       zhongfu plan list [--templates DIR]\n"
    "\n"
    "show: the plan as a table: number, category, indicator, responsible units, the\n"
    "baseline (when the plan publishes one) and the target of every year (interpolated\n"
    "targets marked 插值).  list: the plans that can be run.\n";

/* A plan column: the baseline (y < 0) or the published target of year index y. */
static const char *target_cell(const zf_indicator *ind, long y)
{
    if (y < 0)
        return ind->baseline.cell ? ind->baseline.cell : "*";
    return ind->targets[y].cell ? ind->targets[y].cell : "—";
}

static void head_text(const zf_plan *p, long y, char *buf, size_t size)
{
    if (y < 0)
        snprintf(buf, size, "%d基期", p->baseline_year);
    else
        snprintf(buf, size, "%d", p->years[y]);
}

/* Each number column as wide as its widest cell: interpolated targets ("≈11666.67（插值）")
 * are twice as wide as published ones, and a fixed width tore the table apart. */
static int column_width(const zf_plan *p, long y)
{
    char head[32];
    head_text(p, y, head, sizeof head);
    int w = zf_cli_width(head);
    for (size_t i = 0; i < p->n_indicators; i++) {
        const int c = zf_cli_width(target_cell(&p->indicators[i], y));
        w = c > w ? c : w;
    }
    return w;
}

static void right(const char *s, int width)
{
    for (int w = zf_cli_width(s); w < width; w++)
        putchar(' ');
    printf(" %s", s);
}

static int show(const zf_defs *d)
{
    const zf_plan *p = &d->plan;
    const long first = p->baseline_year ? -1 : 0;   /* the baseline column, when published */
    int *width = malloc((p->n_years + 1) * sizeof *width);
    if (!width)
        return ZF_EXIT_FAILURE;
    char head[32];
    for (long y = first; y < (long)p->n_years; y++)
        width[y - first] = column_width(p, y);
    printf("%s (%s)\n", p->title, p->id);
    printf("地区 %s, %zu 个下级地区; 来源 %zu 个; 指标 %zu 个\n\n", d->regions.regions[0].name,
           d->regions.n_regions - 1, d->sources.n_sources, p->n_indicators);
    zf_cli_pad(stdout, "序号", 5);
    zf_cli_pad(stdout, "类别", 20);
    zf_cli_pad(stdout, "指标", 64);
    zf_cli_pad(stdout, "责任单位", 22);
    for (long y = first; y < (long)p->n_years; y++) {
        head_text(p, y, head, sizeof head);
        right(head, width[y - first]);
    }
    putchar('\n');
    for (size_t i = 0; i < p->n_indicators; i++) {
        const zf_indicator *ind = &p->indicators[i];
        char num[16], units[256] = "";
        snprintf(num, sizeof num, "%d", ind->number);
        for (size_t u = 0; u < ind->n_units; u++) {
            if (u)
                strncat(units, "、", sizeof units - strlen(units) - 1);
            strncat(units, ind->units[u], sizeof units - strlen(units) - 1);
        }
        zf_cli_pad(stdout, num, 5);
        zf_cli_pad(stdout, ind->category, 20);
        zf_cli_pad(stdout, ind->name, 64);
        zf_cli_pad(stdout, units, 22);
        for (long y = first; y < (long)p->n_years; y++)
            right(target_cell(ind, y), width[y - first]);
        putchar('\n');
    }
    if (p->baseline_year)
        printf("\n基期: %d 年实际值（* = 未公布基期值）\n", p->baseline_year);
    free(width);
    return ZF_EXIT_OK;
}

static int list(const char *templates)
{
    char *names[256];
    size_t n = zf_cli_plan_names(templates, names, 256);
    if (!n) {
        fprintf(stderr, "zhongfu plan list: no plans in %s/plans\n", templates);
        return ZF_EXIT_FAILURE;
    }
    for (size_t i = 0; i < n; i++) {
        zf_defs *defs = NULL;
        zf_error err;
        if (zf_defs_load(&defs, templates, names[i], &err) == ZF_OK)
            printf("%-16s %s\n", names[i], defs->plan.title);
        else
            printf("%-16s (does not load: %s)\n", names[i], err.message);
        zf_defs_free(defs);
        free(names[i]);
    }
    return ZF_EXIT_OK;
}

int zf_cmd_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"templates", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *templates = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(plan_help, stdout);
            return ZF_EXIT_OK;
        }
        if (c != 't')
            return zf_cli_usage("plan", plan_help, NULL);
        templates = optarg;
    }
    char tbuf[4096];
    templates = zf_cli_templates(templates, tbuf, sizeof tbuf);
    if (optind < argc && !strcmp(argv[optind], "list") && optind + 1 == argc)
        return list(templates);
    if (optind + 2 != argc || strcmp(argv[optind], "show"))
        return zf_cli_usage("plan", plan_help, "show PLAN or list?");
    if (!zf_cli_plan_known(templates, argv[optind + 1]))
        return zf_cli_unknown_plan("plan show", templates, argv[optind + 1]);
    zf_defs *defs = NULL;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, templates, argv[optind + 1], &err) != ZF_OK) {
        zf_cli_error("plan show", &err);
        return err.code == ZF_ERR_IO || err.code == ZF_ERR_NOT_FOUND ? ZF_EXIT_USAGE : ZF_EXIT_FAILURE;
    }
    const int rc = show(defs);
    zf_defs_free(defs);
    return rc;
}
