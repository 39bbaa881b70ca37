#include "zf_csvout.h"

#include <errno.h>
#include <string.h>

void zf_csv_field(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void field_sep(FILE *f, const char *s)
{
    zf_csv_field(f, s);
    fputc(',', f);
}

static zf_status finish_file(FILE *f, const char *path, zf_error *err)
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
        zf_csv_field(f, src->columns[c].name);
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
        zf_csv_field(f, col->vocab[v->i]);
        return;
    default: {
        char text[1024];
        size_t n = v->len < sizeof text - 1 ? v->len : sizeof text - 1;
        memcpy(text, v->s, n);
        text[n] = '\0';
        zf_csv_field(f, text);
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
