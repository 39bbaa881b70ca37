#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "zf_csvout.h"
#include "zf_engine.h"
#include "zf_evaluate.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_text.h"

static const char trace_help[] =
    "usage: zhongfu audit trace --plan PLAN --indicator N --year Y --data DIR\n"
    "                           [--part NAME|K] [--region NAME] [--as-of YYYY-MM-DD] [--out FILE]\n"
    "\n"
    "The records behind one value, as CSV: every record counted in the numerator and the\n"
    "denominator, with its source file and line and its key (personal data masked), and the\n"
    "amount it adds, so that the value can be re-counted by hand.  Roles: denominator (in the\n"
    "population only), numerator (a ratio's numerator, a counted record), both, previous_year\n"
    "(growth: a record of Y-1), chosen (the report or standard whose value is shown).\n"
    "The totals are printed on standard error next to the computed numerator and denominator.\n";

static const char *role_names[] = {"denominator", "numerator", "both", "previous_year", "chosen"};

typedef struct trace_ctx {
    const zf_defs *defs;
    FILE *out;
    const char *prefix;          /* indicator,part,year,region, */
    int64_t num, den;            /* totals of what was reported */
    bool num_over, den_over;     /* a total went past int64: printed as such, not wrapped */
    int num_scale, den_scale;
} trace_ctx;

static void key_text(const zf_source *src, const zf_trace_row *row, char *buf, size_t size)
{
    char one[256];
    size_t used = 0;
    buf[0] = '\0';
    if (!row->values) {
        /* a register row settled at the end: its key is the join column (personal) */
        zf_mask(row->key ? row->key : "", row->key_len, false, buf, size);
        return;
    }
    for (size_t k = 0; k < src->n_key && used < size; k++) {
        const zf_column *col = &src->columns[src->key[k]];
        const zf_value *v = &row->values[src->key[k]];
        if (col->personal)
            zf_mask(v->s, v->len, col->type == ZF_COL_CITIZEN_ID, one, sizeof one);
        else   /* a long key is cut between characters, as every output text is */
            snprintf(one, sizeof one, "%.*s", (int)zf_utf8_cut(v->s, v->len, sizeof one - 1), v->s);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? "+" : "", one);
    }
    buf[zf_utf8_complete(buf, strlen(buf))] = '\0';   /* keys joined beyond size are cut */
}

static void on_row(void *p, const zf_trace_row *row)
{
    trace_ctx *c = p;
    const zf_source *src = &c->defs->sources.sources[row->source];
    char key[512], a[64], b[64];
    key_text(src, row, key, sizeof key);
    fputs(c->prefix, c->out);
    fprintf(c->out, "%s,%s,", role_names[row->role], src->id);
    zf_csv_field(c->out, row->file ? row->file : "");
    fprintf(c->out, ",%ld,", row->line);
    zf_csv_field(c->out, key);
    fprintf(c->out, ",%s,%s\n", zf_decimal_text(row->num_amount, row->num_scale, a, sizeof a),
            zf_decimal_text(row->den_amount, row->den_scale, b, sizeof b));
    if (row->role == ZF_TRACE_NUMERATOR || row->role == ZF_TRACE_BOTH)
        c->num_over |= __builtin_add_overflow(c->num, row->num_amount, &c->num);
    if (row->role == ZF_TRACE_DENOMINATOR || row->role == ZF_TRACE_BOTH)
        c->den_over |= __builtin_add_overflow(c->den, row->den_amount, &c->den);
    c->num_scale = row->num_scale;
    c->den_scale = row->den_scale;
}

typedef struct trace_args {
    const char *plan, *data, *templates, *part, *region, *out;
    int indicator, year;
    int32_t as_of;
    bool has_as_of;
} trace_args;

static int parse(int argc, char **argv, trace_args *a)
{
    static const struct option opts[] = {
        {"plan", required_argument, 0, 'p'},   {"indicator", required_argument, 0, 'i'},
        {"year", required_argument, 0, 'y'},   {"data", required_argument, 0, 'd'},
        {"part", required_argument, 0, 'k'},   {"region", required_argument, 0, 'r'},
        {"as-of", required_argument, 0, 'a'},  {"out", required_argument, 0, 'o'},
        {"templates", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:i:y:d:k:r:a:o:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a->plan = optarg; break;
        case 'i': a->indicator = atoi(optarg); break;
        case 'y': a->year = atoi(optarg); break;
        case 'd': a->data = optarg; break;
        case 'k': a->part = optarg; break;
        case 'r': a->region = optarg; break;
        case 'o': a->out = optarg; break;
        case 't': a->templates = optarg; break;
        case 'h': fputs(trace_help, stdout); return -1;
        case 'a':
            if (!zf_cli_parse_date(optarg, &a->as_of)) {
                fprintf(stderr, "zhongfu audit trace: --as-of wants YYYY-MM-DD\n");
                return ZF_EXIT_USAGE;
            }
            a->has_as_of = true;
            break;
        default: return zf_cli_usage("audit trace", trace_help, NULL);
        }
    }
    if (!a->plan || !a->data || a->indicator <= 0 || a->year <= 0 || optind < argc)
        return zf_cli_usage("audit trace", trace_help, "--plan, --indicator, --year and --data are required");
    if (!a->has_as_of) {
        int32_t end = zf_days_from_civil(a->year, 12, 31), today = zf_cli_today();
        a->as_of = end < today ? end : today;
    }
    return 0;
}

/* Resolve indicator, part, year and region names to indexes. */
static int resolve(const zf_defs *d, const trace_args *a, size_t *ind, size_t *part, size_t *year, int *region)
{
    const zf_plan *p = &d->plan;
    for (*ind = 0; *ind < p->n_indicators && p->indicators[*ind].number != a->indicator; (*ind)++)
        ;
    for (*year = 0; *year < p->n_years && p->years[*year] != a->year; (*year)++)
        ;
    if (*ind == p->n_indicators || *year == p->n_years) {
        fprintf(stderr, "zhongfu audit trace: plan %s has no indicator %d or no year %d\n", p->id,
                a->indicator, a->year);
        return ZF_EXIT_USAGE;
    }
    const zf_indicator *i = &p->indicators[*ind];
    *part = 0;
    if (a->part) {
        char *end;
        long k = strtol(a->part, &end, 10);
        if (!*end && k >= 1 && (size_t)k <= i->n_parts)
            *part = (size_t)k - 1;
        else
            for (*part = 0; *part < i->n_parts && strcmp(i->parts[*part].name, a->part); (*part)++)
                ;
        if (*part == i->n_parts) {
            fprintf(stderr, "zhongfu audit trace: indicator %d has no part '%s'\n", a->indicator, a->part);
            return ZF_EXIT_USAGE;
        }
    }
    *region = a->region ? zf_region_find(&d->regions, a->region, strlen(a->region)) : 0;
    if (*region < 0) {
        fprintf(stderr, "zhongfu audit trace: no region '%s'\n", a->region);
        return ZF_EXIT_USAGE;
    }
    return 0;
}

static const zf_result *find(const zf_run *run, size_t ind, size_t part, size_t year, int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

static void totals(const trace_ctx *c, const zf_result *r)
{
    char a[64], b[64], x[64], y[64];
    static const char past[] = "past the range of a figure (int64)";
    fprintf(stderr, "traced: numerator %s, denominator %s\n",
            c->num_over ? past : zf_decimal_text(c->num, c->num_scale, a, sizeof a),
            c->den_over ? past : zf_decimal_text(c->den, c->den_scale, b, sizeof b));
    if (r && r->nodata == ZF_NODATA_OVERFLOW)
        fprintf(stderr, "result: %s: a sum %s\n", zf_outcome_label(r->outcome), past);
    if (r && (r->has_num || r->has_den))
        fprintf(stderr, "result: numerator %s, denominator %s, status %s\n",
                r->has_num ? zf_decimal_text(r->num, r->num_scale, x, sizeof x) : "",
                r->has_den ? zf_decimal_text(r->den, r->den_scale, y, sizeof y) : "",
                zf_outcome_label(r->outcome));
}

static int trace_run(const trace_args *a, zf_defs *defs, FILE *out)
{
    size_t ind, part, year;
    int region;
    int rc = resolve(defs, a, &ind, &part, &year, &region);
    if (rc)
        return rc;
    zf_run *run = NULL;
    zf_engine *eng = NULL;
    zf_error err;
    zf_error_clear(&err);
    char prefix[512];
    const zf_indicator *i = &defs->plan.indicators[ind];
    snprintf(prefix, sizeof prefix, "%d,%s,%d,%s,", i->number, i->n_parts > 1 ? i->parts[part].name : "",
             a->year, defs->regions.regions[region].name);
    trace_ctx c = {.defs = defs, .out = out, .prefix = prefix};
    int years[1] = {a->year};
    rc = ZF_EXIT_FAILURE;
    if (zf_run_new(&run, defs, a->as_of, years, 1, &err) != ZF_OK || zf_engine_new(&eng, run, &err) != ZF_OK)
        goto cleanup;
    if (zf_engine_trace(eng, ind, part, year, region, on_row, &c) != ZF_OK) {
        zf_error_set(&err, ZF_ERR_INTERNAL, NULL, 0, 0, "indicator %d has no computation for %d to trace",
                     i->number, a->year);
        goto cleanup;
    }
    fputs("indicator,part,year,region,role,source,file,line,key,numerator_amount,denominator_amount\n", out);
    zf_ingest_opts io = {.data_dir = a->data, .engine = eng};
    if (zf_ingest(run, &io, &err) != ZF_OK || zf_engine_finish(eng, run, &err) != ZF_OK ||
        zf_evaluate(run, eng, &err) != ZF_OK)
        goto cleanup;
    totals(&c, find(run, ind, part, year, region));
    rc = ZF_EXIT_OK;
cleanup:
    if (rc == ZF_EXIT_FAILURE)
        zf_cli_error("audit trace", &err);
    zf_engine_free(eng);
    zf_run_free(run);
    return rc;
}

int zf_cmd_trace(int argc, char **argv)
{
    trace_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? ZF_EXIT_OK : rc;
    char tbuf[4096];
    zf_defs *defs = NULL;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, zf_cli_templates(a.templates, tbuf, sizeof tbuf), a.plan, &err) != ZF_OK) {
        zf_cli_error("audit trace", &err);
        return ZF_EXIT_FAILURE;
    }
    FILE *out = a.out ? fopen(a.out, "w") : stdout;
    if (!out) {
        fprintf(stderr, "zhongfu audit trace: cannot create %s\n", a.out);
        zf_defs_free(defs);
        return ZF_EXIT_FAILURE;
    }
    rc = trace_run(&a, defs, out);
    if (out != stdout)
        fclose(out);
    zf_defs_free(defs);
    return rc;
}
