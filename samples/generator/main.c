/* main.c — zf-samplegen: writes a realistic, reproducible Yuyao data directory
 * (the 25 sources of docs/spec sources.md) plus the list of injected bad records. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "gen.h"

/* submissions.c: the aggregate submissions of the other plans (--plan) */
zf_status sg_submissions(sg_gen *g, const char *templates, const char *const *plans, size_t n, zf_error *err);

static void usage(FILE *f)
{
    fputs("usage: zf-samplegen --out DIR [--as-of YYYY-MM-DD] [--seed N] [--scale S] [--truth FILE]\n"
          "       zf-samplegen --plan PLAN [--plan PLAN]... [--templates DIR] --out DIR [--as-of ...] [--seed N]\n"
          "\n"
          "Writes the 25 Yuyao departmental sources for 2022 up to the as-of date into DIR.\n"
          "With --plan: writes DIR/indicator_submissions.csv, the aggregate submissions of the\n"
          "other plans (zhejiang-14th, zhejiang-13th, chunan-14th, dazhou, zhangjiagang).\n"
          "  --plan PLAN    a plan with submitted rules (repeat for several in one file)\n"
          "  --templates D  where the plan definitions are (default templates)\n"
          "  --out DIR      data directory to create or fill (required)\n"
          "  --as-of DATE   last day with data (default 2026-06-30)\n"
          "  --seed N       PRNG seed (default 1); same seed, scale and as-of = same bytes\n"
          "  --scale S      volume factor, a decimal such as 0.1, 1, 10, 100 (default 1)\n"
          "  --truth FILE   CSV source,file,line,column,reason of every injected bad record;\n"
          "                 FILE.orphans lists care visits of unknown households\n"
          "  --quiet        no per-source summary on stderr\n"
          "  --help         this text\n",
          f);
}

static bool parse_date(const char *s, int32_t *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 2022 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    int32_t v = sg_days(y, m, d);
    int yy, mm, dd;
    sg_civil(v, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return false;
    *out = v;
    return true;
}

static zf_status mkdirs(const char *path, zf_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return zf_error_set(err, ZF_ERR_IO, buf, 0, 0, "cannot create directory: %s", strerror(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    return ZF_OK;
}

static int cmp_truth(const void *a, const void *b)
{
    const sg_truth *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    if (!c)
        c = strcmp(x->file, y->file);
    if (!c)
        c = (x->line > y->line) - (x->line < y->line);
    return c;
}

static zf_status write_list(const char *path, sg_list *l, bool orphans, zf_error *err)
{
    if (l->n)   /* qsort's base may not be NULL, even for no elements */
        qsort(l->v, l->n, sizeof *l->v, cmp_truth);
    FILE *f = fopen(path, "w");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    fputs(orphans ? "source,file,line,户编号\n" : "source,file,line,column,reason\n", f);
    for (size_t i = 0; i < l->n; i++) {
        const sg_truth *t = &l->v[i];
        /* names never hold commas or quotes, so no CSV quoting is needed */
        if (orphans)
            fprintf(f, "%s,%s,%ld,%s\n", t->source, t->file, t->line, t->value);
        else
            fprintf(f, "%s,%s,%ld,%s,%s\n", t->source, t->file, t->line, t->column, t->reason);
    }
    if (fclose(f) != 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "write failed: %s", strerror(errno));
    return ZF_OK;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},   {"as-of", required_argument, NULL, 'a'},
        {"seed", required_argument, NULL, 's'},  {"scale", required_argument, NULL, 'x'},
        {"truth", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {"plan", required_argument, NULL, 'p'},
        {"templates", required_argument, NULL, 'T'}, {NULL, 0, NULL, 0}};
    const char *plans[16], *templates = "templates";
    size_t n_plans = 0;
    sg_gen g = {0};
    g.seed = 1;
    g.scale = 1.0;
    g.first_year = 2022;
    g.asof = sg_days(2026, 6, 30);
    const char *truth = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:a:s:x:t:qhp:T:", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'p':
            if (n_plans == sizeof plans / sizeof plans[0]) {
                fprintf(stderr, "zf-samplegen: too many --plan\n");
                return 2;
            }
            plans[n_plans++] = optarg;
            break;
        case 'T': templates = optarg; break;
        case 'o': g.dir = optarg; break;
        case 'a':
            if (!parse_date(optarg, &g.asof)) {
                fprintf(stderr, "zf-samplegen: --as-of wants a real date YYYY-MM-DD from 2022 on, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 's':
            errno = 0;
            g.seed = strtoull(optarg, &end, 10);
            if (errno || !*optarg || *end) {
                fprintf(stderr, "zf-samplegen: --seed wants a non-negative integer, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'x':
            g.scale = strtod(optarg, &end);
            if (!*optarg || *end || !(g.scale > 0.0) || g.scale > 1000.0) {
                fprintf(stderr, "zf-samplegen: --scale wants a number in (0, 1000], got '%s'\n", optarg);
                return 2;
            }
            break;
        case 't': truth = optarg; break;
        case 'q': g.quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!g.dir || optind != argc) {
        usage(stderr);
        return 2;
    }
    g.asof_year = sg_year_of(g.asof);

    zf_error err;
    zf_error_clear(&err);
    zf_status st = mkdirs(g.dir, &err);
    if (!st)
        st = n_plans ? sg_submissions(&g, templates, plans, n_plans, &err) : sg_generate_all(&g, &err);
    if (!st && truth) {
        char path[4096];
        snprintf(path, sizeof path, "%s.orphans", truth);
        st = write_list(truth, &g.truth, false, &err);
        if (!st)
            st = write_list(path, &g.orphans, true, &err);
    }
    if (!st && !g.quiet)
        fprintf(stderr, "zf-samplegen: %lld records, %zu bad, %zu orphan visits in %s\n",
                (long long)g.rows_total, g.truth.n, g.orphans.n, g.dir);
    sg_list_free(&g.truth);
    sg_list_free(&g.orphans);
    free(g.hh);
    if (st) {
        char buf[2048];
        fprintf(stderr, "zf-samplegen: %s\n", zf_error_format(&err, buf, sizeof buf));
        return 1;
    }
    return 0;
}
