/* csvout.c — results.csv, quality.csv, rejects.csv and orphans.csv, which people open in
 * a spreadsheet, and the accepted records, which loaders read (zf_csvout.h).  The first
 * kind is written as output text: a field a spreadsheet would take for a formula gets a
 * leading ' (OWASP's advice against CSV injection), and controls or bytes that are no
 * UTF-8 are shown as \xHH.  The accepted records are the data as validated, verbatim. */
#include "zf_csvout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zf_calendar.h"
#include "zf_text.h"

static bool needs_quotes(const char *s)
{
    return s[strcspn(s, ",\"\r\n")] != '\0';
}

static void quoted(FILE *f, const char *prefix, const char *s)
{
    fputc('"', f);
    fputs(prefix, f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* RFC 4180 and nothing more: for the accepted records. */
static void raw_field(FILE *f, const char *s)
{
    if (needs_quotes(s))
        quoted(f, "", s);
    else
        fputs(s, f);
}

void zf_csv_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    char small[1024], *big = NULL;
    if (!zf_text_is_safe(s, len)) {   /* rare: a GBK file name, a control in a value */
        if (len * 4 < sizeof small)
            zf_text_safe(s, len, small, sizeof small), s = small;
        else
            s = (big = zf_text_safe_dup(s)) ? big : "";   /* no memory: nothing unsafe */
        len = strlen(s);
    }
    /* a plain number such as -12.5 is left alone: a spreadsheet reads it as that number */
    const char *prefix = zf_text_formula_start(s, len) ? "'" : "";
    if (needs_quotes(s)) {
        quoted(f, prefix, s);
    } else {
        fputs(prefix, f);
        fputs(s, f);
    }
    free(big);
}

static void field_sep(FILE *f, const char *s)
{
    zf_csv_field(f, s);
    fputc(',', f);
}

static ZF_MUST_CHECK zf_status finish_file(FILE *f, const char *path, zf_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
    return ZF_OK;
}

static void results_row(FILE *f, const zf_run *run, const zf_result *r)
{
    const zf_plan *p = &run->defs->plan;
    const zf_indicator *ind = &p->indicators[r->indicator];
    char buf[96];
    field_sep(f, p->id);
    fprintf(f, "%d,", ind->number);
    field_sep(f, ind->n_parts > 1 ? ind->parts[r->part].name : "");
    fprintf(f, "%d,", p->years[r->year]);
    field_sep(f, run->defs->regions.regions[r->region].name);
    field_sep(f, r->has_num ? zf_decimal_text(r->num, r->num_scale, buf, sizeof buf) : "");
    field_sep(f, r->has_den ? zf_decimal_text(r->den, r->den_scale, buf, sizeof buf) : "");
    field_sep(f, zf_result_value_text(r, buf, sizeof buf));
    field_sep(f, r->target && r->target->cell ? r->target->cell : "");
    zf_csv_field(f, zf_outcome_label(r->outcome));
    fputc('\n', f);
}

zf_status zf_results_csv_write(const zf_run *run, const char *path, zf_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    fputs("plan,indicator,part,year,region,numerator,denominator,value,target,status\n", f);
    for (size_t i = 0; i < run->n_results; i++)
        results_row(f, run, &run->results[i]);
    return finish_file(f, path, err);
}

zf_status zf_quality_csv_write(const zf_run *run, const char *path, zf_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    fputs("source,file,sha256,rows_read,rows_accepted,rows_rejected,status\n", f);
    for (size_t i = 0; i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        field_sep(f, run->defs->sources.sources[q->source].id);
        field_sep(f, q->name);
        field_sep(f, q->sha256);
        fprintf(f, "%lld,%lld,%lld,", (long long)q->rows_read, (long long)q->rows_accepted,
                (long long)q->rows_rejected);
        zf_csv_field(f, q->status);
        fputc('\n', f);
    }
    return finish_file(f, path, err);
}

void zf_rejects_csv_header(FILE *f)
{
    fputs("source,file,line,column,value,reason\n", f);
}

void zf_rejects_csv_row(FILE *f, const char *source, const char *file, long line,
                        const char *column, const char *value, zf_reason reason)
{
    field_sep(f, source);
    field_sep(f, file);
    fprintf(f, "%ld,", line);
    field_sep(f, column);
    field_sep(f, value);
    fputs(zf_reason_code(reason), f);
    fputc('\n', f);
}

void zf_accepted_csv_header(FILE *f, const zf_source *src)
{
    for (size_t c = 0; c < src->n_columns; c++) {
        if (c)
            fputc(',', f);
        raw_field(f, src->columns[c].name);
    }
    fputc('\n', f);
}

static void typed_field(FILE *f, const zf_column *col, const zf_value *v)
{
    char buf[64];
    if (!v->present)
        return;
    switch (col->type) {
    case ZF_COL_DATE:
        fputs(zf_date_format((int32_t)v->i, buf), f);
        return;
    case ZF_COL_AMOUNT:
        fputs(zf_decimal_text(v->i, 2, buf, sizeof buf), f);
        return;
    case ZF_COL_DECIMAL:
        fputs(zf_decimal_text(v->i, 6, buf, sizeof buf), f);
        return;
    case ZF_COL_INTEGER:
        fprintf(f, "%lld", (long long)v->i);
        return;
    case ZF_COL_YESNO:
        fputs(v->i ? "true" : "false", f);
        return;
    case ZF_COL_ENUM:
        raw_field(f, col->vocab[v->i]);
        return;
    default: {
        char text[1024];
        size_t n = zf_utf8_cut(v->s, v->len, sizeof text - 1);
        memcpy(text, v->s, n);
        text[n] = '\0';
        raw_field(f, text);
    }
    }
}

void zf_accepted_csv_row(FILE *f, const zf_source *src, const zf_value *values)
{
    for (size_t c = 0; c < src->n_columns; c++) {
        if (c)
            fputc(',', f);
        typed_field(f, &src->columns[c], &values[c]);
    }
    fputc('\n', f);
}
