/* cmd_check.c — `zhongfu check`: read and validate a data directory without computing,
 * and tell a clerk per source what was rejected and why, in words (中文 (code)), with
 * what a column allows where the reason is a value outside it. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_value.h"

static const char check_help[] =
    "usage: zhongfu check --data DIR [--plan PLAN] [--as-of YYYY-MM-DD] [--templates DIR]\n"
    "\n"
    "Read and validate every source file in DIR without computing anything, and print for\n"
    "each source: its files, rows read / accepted / rejected, the main reasons for rejection\n"
    "with the first examples (file:line column value), and files that could not be read.\n"
    "Exit status: 0 every file read and no record rejected; 3 some record rejected, a source\n"
    "missing or a file unreadable; 2 usage error; 1 failure.\n";

enum { EXAMPLES = 3, TOP_REASONS = 5 };

static const zf_column *column_named(const zf_source *src, const char *name)
{
    for (size_t i = 0; name && i < src->n_columns; i++)
        if (strcmp(src->columns[i].name, name) == 0)
            return &src->columns[i];
    return NULL;
}

/* What the column accepts, for the reasons that are "a value outside what is allowed":
 * a clerk who reads only "unknown_enum" cannot correct the record (zf_reason_hint). */
static void print_allowed(const zf_run *run, const zf_column *col, zf_reason reason)
{
    int y, m, d;
    char hint[2048];
    zf_civil_from_days(run->as_of, &y, &m, &d);
    const char *top = run->defs->regions.n_regions ? run->defs->regions.regions[0].name : "";
    if (zf_reason_hint(reason, col, y + 1, top, hint, sizeof hint)[0])
        printf("          %s\n", hint);
}

static void print_examples(const zf_run *run, size_t s, zf_reason reason)
{
    const zf_source *src = &run->defs->sources.sources[s];
    const char *said[EXAMPLES] = {NULL};
    int shown = 0;
    for (size_t i = 0; i < run->n_rejects && shown < EXAMPLES; i++) {
        const zf_reject *r = &run->rejects[i];
        if (r->source != s || r->reason != reason)
            continue;
        printf("        %s:%ld  %s = '%s'\n", r->file, r->line, r->column, r->value);
        /* the allowed words once per column, after its first example */
        bool again = false;
        for (int k = 0; k < shown; k++)
            again = again || (said[k] && r->column && strcmp(said[k], r->column) == 0);
        if (!again)
            print_allowed(run, column_named(src, r->column), reason);
        said[shown++] = r->column;
    }
}

/* Rows that are not records: the title block, blank rows, 合计 and note rows. */
static void print_skipped(const zf_input_file *q)
{
    int64_t n = 0;
    for (int k = ZF_ROW_TITLE; k < ZF_ROW_KINDS; k++)
        n += q->rows_skipped[k];
    if (!n)
        return;
    printf("      不是记录的行 (not records):");
    for (int k = ZF_ROW_TITLE; k < ZF_ROW_KINDS; k++)
        if (q->rows_skipped[k])
            printf(" %s %lld", zf_row_kind_name((zf_row_kind)k), (long long)q->rows_skipped[k]);
    if (q->header_line > 1)
        printf("; 表头在第 %ld 行", q->header_line);
    putchar('\n');
    for (size_t i = 0; i < q->n_skipped; i++) {
        const zf_skipped_row *s = &q->skipped[i];
        if (s->kind == ZF_ROW_TITLE)
            continue;
        printf("        %s:%ld  %s '%s'%s%s\n", q->name, s->line, zf_row_kind_name(s->kind), s->label,
               s->check[0] ? "  " : "", s->check);
    }
}

static void print_source(const zf_run *run, size_t s)
{
    const zf_source *src = &run->defs->sources.sources[s];
    int64_t reasons[ZF_REASON_COUNT] = {0};
    printf("%s — %s\n", src->id, src->title ? src->title : "");
    for (size_t i = 0; i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        if (q->source != s)
            continue;
        if (!q->name[0]) {
            printf("    (no file)  missing\n");
            continue;
        }
        printf("    %-40s %-5s %-9s read %8lld  accepted %8lld  rejected %6lld  %s\n", q->name,
               q->format, q->encoding, (long long)q->rows_read, (long long)q->rows_accepted,
               (long long)q->rows_rejected, q->status);
        if (q->message && q->message[0])
            printf("      ! %s\n", q->message);
        print_skipped(q);
        for (int r = 0; r < ZF_REASON_COUNT; r++)
            reasons[r] += q->reasons[r];
    }
    for (int top = 0; top < TOP_REASONS; top++) {
        int best = 0;
        for (int r = 1; r < ZF_REASON_COUNT; r++)
            if (reasons[r] > reasons[best])
                best = r;
        if (!reasons[best])
            break;
        char label[160];
        zf_reason_both((zf_reason)best, label, sizeof label);
        fputs("      ", stdout);
        zf_cli_pad(stdout, label, 40);
        printf(" %lld\n", (long long)reasons[best]);
        print_examples(run, s, (zf_reason)best);
        reasons[best] = 0;
    }
}

int zf_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},      {"plan", required_argument, 0, 'p'},
        {"as-of", required_argument, 0, 'a'},     {"templates", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
    const char *data = NULL, *plan = "yuyao", *templates = NULL;
    int32_t as_of = zf_cli_today();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:p:a:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'p': plan = optarg; break;
        case 't': templates = optarg; break;
        case 'h': fputs(check_help, stdout); return ZF_EXIT_OK;
        case 'a':
            if (zf_cli_parse_date(optarg, &as_of))
                break;
            fprintf(stderr, "zhongfu check: --as-of wants YYYY-MM-DD, not '%s'\n", optarg);
            return ZF_EXIT_USAGE;
        default: return zf_cli_usage("check", check_help, NULL);
        }
    }
    if (!data || optind < argc)
        return zf_cli_usage("check", check_help, !data ? "--data is required" : "unexpected argument");
    char tbuf[4096];
    templates = zf_cli_templates(templates, tbuf, sizeof tbuf);
    if (plan && !zf_cli_plan_known(templates, plan))
        return zf_cli_unknown_plan("check", templates, plan);
    zf_defs *defs = NULL;
    zf_run *run = NULL;
    zf_error err;
    zf_error_clear(&err);
    int rc = ZF_EXIT_FAILURE;
    if (zf_defs_load(&defs, templates, plan, &err) != ZF_OK ||
        zf_run_new(&run, defs, as_of, NULL, 0, &err) != ZF_OK)
        goto cleanup;
    zf_ingest_opts io = {.data_dir = data, .progress = isatty(fileno(stderr)) ? stderr : NULL};
    if (zf_ingest(run, &io, &err) != ZF_OK)
        goto cleanup;
    int64_t read = 0, rejected = 0;
    bool trouble = false;
    for (size_t s = 0; s < defs->sources.n_sources; s++)
        print_source(run, s);
    for (size_t i = 0; i < run->n_files; i++) {
        read += run->files[i].rows_read;
        rejected += run->files[i].rows_rejected;
        trouble |= strcmp(run->files[i].status, "ok") != 0;
    }
    printf("\n%zu files, %lld rows read, %lld accepted, %lld rejected\n", run->n_files,
           (long long)read, (long long)(read - rejected), (long long)rejected);
    rc = trouble ? ZF_EXIT_INCOMPLETE : ZF_EXIT_OK;
cleanup:
    if (rc == ZF_EXIT_FAILURE)
        zf_cli_error("check", &err);
    zf_run_free(run);
    zf_defs_free(defs);
    return rc;
}
