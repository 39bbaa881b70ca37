/* writer.c — output files (CSV in three encodings, JSON, JSON Lines, XLSX), the
 * injection of bad records and the truth lists.
 *
 * Every writer knows the position a record starts at (physical CSV line, XLSX row,
 * JSON element), because that is what the pipeline must report for a reject and
 * what the truth file promises. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "gen.h"

#define BUF_FLUSH (1u << 20)

struct sg_out {
    sg_fmt fmt;
    sg_enc enc;
    bool crlf, quote_all;
    FILE *fp;
    char *buf;
    size_t len, cap;
    char *conv;          /* GB18030 conversion buffer */
    size_t conv_cap;
    iconv_t cd;
    long pos;            /* CSV: physical line of the next record; JSON: elements; XLSX: rows */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *datefmt, *amtfmt;
    int order[SG_MAXCOL + 1];
    int norder;
    const sg_col *cols;
    int ncols;
    const char *extra_name;
    char path[4096];
};

/* ---- buffered bytes ----------------------------------------------------- */

static zf_status put(sg_out *o, const char *s, size_t n, zf_error *err)
{
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : (2u << 20);
        while (cap < o->len + n)
            cap *= 2;
        char *b = realloc(o->buf, cap);
        if (!b)
            return zf_error_set(err, ZF_ERR_NOMEM, o->path, 0, 0, "out of memory");
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return ZF_OK;
}

static zf_status puts_(sg_out *o, const char *s, zf_error *err) { return put(o, s, strlen(s), err); }

/* Called between records only, so a multi-byte character is never split. */
static zf_status flush(sg_out *o, zf_error *err)
{
    if (!o->len)
        return ZF_OK;
    const char *data = o->buf;
    size_t n = o->len;
    if (o->enc == E_GB18030) {
        if (o->conv_cap < o->len * 2 + 16) {
            size_t cap = o->len * 2 + 16;
            char *c = realloc(o->conv, cap);
            if (!c)
                return zf_error_set(err, ZF_ERR_NOMEM, o->path, 0, 0, "out of memory");
            o->conv = c;
            o->conv_cap = cap;
        }
        char *in = o->buf, *out = o->conv;
        size_t inl = o->len, outl = o->conv_cap;
        if (iconv(o->cd, &in, &inl, &out, &outl) == (size_t)-1)
            return zf_error_set(err, ZF_ERR_ENCODING, o->path, 0, 0,
                                "cannot convert to GB18030: %s", strerror(errno));
        data = o->conv;
        n = o->conv_cap - outl;
    }
    if (fwrite(data, 1, n, o->fp) != n)
        return zf_error_set(err, ZF_ERR_IO, o->path, 0, 0, "write failed: %s", strerror(errno));
    o->len = 0;
    return ZF_OK;
}

/* ---- CSV / JSON field encoding ------------------------------------------- */

static zf_status csv_field(sg_out *o, const char *s, long *newlines, zf_error *err)
{
    bool q = o->quote_all && *s;
    for (const char *p = s; *p && !q; p++)
        if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
            q = true;
    if (!q)
        return puts_(o, s, err);
    zf_status st = put(o, "\"", 1, err);
    for (const char *p = s; *p && !st; p++) {
        if (*p == '\n')
            (*newlines)++;
        st = *p == '"' ? put(o, "\"\"", 2, err) : put(o, p, 1, err);
    }
    return st ? st : put(o, "\"", 1, err);
}

static zf_status json_str(sg_out *o, const char *s, zf_error *err)
{
    zf_status st = put(o, "\"", 1, err);
    for (const unsigned char *p = (const unsigned char *)s; *p && !st; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\', esc[1] = (char)*p;
            st = put(o, esc, 2, err);
        } else if (*p == '\n') {
            st = put(o, "\\n", 2, err);
        } else if (*p < 0x20) {
            static const char hx[] = "0123456789abcdef";
            memcpy(esc, "\\u00", 4);
            esc[4] = hx[*p >> 4], esc[5] = hx[*p & 15];
            st = put(o, esc, 6, err);
        } else {
            st = put(o, (const char *)p, 1, err);
        }
    }
    return st ? st : put(o, "\"", 1, err);
}

static const char *col_name(const sg_out *o, int c) { return c < o->ncols ? o->cols[c].name : o->extra_name; }

/* ---- open / write / close ----------------------------------------------- */

static zf_status out_open(sg_out **res, const sg_gen *g, const sg_srcdef *def, const sg_layout *lay,
                          const char *fname, zf_error *err)
{
    sg_out *o = calloc(1, sizeof *o);
    if (!o)
        return zf_error_set(err, ZF_ERR_NOMEM, fname, 0, 0, "out of memory");
    o->fmt = lay->fmt;
    o->enc = lay->enc;
    o->crlf = lay->crlf;
    o->quote_all = lay->quote_all;
    o->cols = def->cols;
    o->ncols = def->ncols;
    o->extra_name = lay->extra_name;
    o->cd = (iconv_t)-1;
    if (lay->norder) {
        memcpy(o->order, lay->order, sizeof(int) * (size_t)lay->norder);
        o->norder = lay->norder;
    } else {
        for (int i = 0; i < def->ncols; i++)
            o->order[i] = i;
        o->norder = def->ncols;
    }
    snprintf(o->path, sizeof o->path, "%s/%s", g->dir, fname);
    *res = o;
    zf_status st = ZF_OK;

    if (o->fmt == F_XLSX) {
        /* constant_memory writes inline strings; at small scales we keep the shared
         * string table real Excel files have, so both layouts get exercised. */
        lxw_workbook_options opt = {.constant_memory = g->scale > 5.0, .tmpdir = NULL,
                                    .use_zip64 = LXW_FALSE};
        o->wb = workbook_new_opt(o->path, &opt);
        if (!o->wb)
            return zf_error_set(err, ZF_ERR_IO, o->path, 0, 0, "cannot create workbook");
        /* a fixed creation time makes the bytes reproducible */
        lxw_doc_properties props = {.title = (char *)def->stem, .author = (char *)"zf-samplegen",
                                    .created = (time_t)g->asof * 86400};
        workbook_set_properties(o->wb, &props);
        o->ws = workbook_add_worksheet(o->wb, "Sheet1");
        o->datefmt = workbook_add_format(o->wb);
        format_set_num_format(o->datefmt, "yyyy-mm-dd");
        o->amtfmt = workbook_add_format(o->wb);
        format_set_num_format(o->amtfmt, "#,##0.00");
        for (int i = 0; i < o->norder; i++)
            worksheet_write_string(o->ws, 0, (lxw_col_t)i, col_name(o, o->order[i]), NULL);
        o->pos = 2; /* the header is row 1 */
        return ZF_OK;
    }

    o->fp = fopen(o->path, "wb");
    if (!o->fp)
        return zf_error_set(err, ZF_ERR_IO, o->path, 0, 0, "cannot create: %s", strerror(errno));
    if (o->enc == E_GB18030) {
        o->cd = iconv_open("GB18030", "UTF-8");
        if (o->cd == (iconv_t)-1)
            return zf_error_set(err, ZF_ERR_ENCODING, o->path, 0, 0, "iconv: no GB18030");
    }
    if (o->fmt == F_CSV) {
        if (o->enc == E_UTF8_BOM)
            st = put(o, "\xEF\xBB\xBF", 3, err);
        for (int i = 0; i < o->norder && !st; i++) {
            long nl = 0;
            if (i)
                st = put(o, ",", 1, err);
            if (!st)
                st = csv_field(o, col_name(o, o->order[i]), &nl, err);
        }
        if (!st)
            st = puts_(o, o->crlf ? "\r\n" : "\n", err);
        o->pos = 2;
    } else if (o->fmt == F_JSON) {
        st = put(o, "[", 1, err);
    }
    return st;
}

/* Writes one record; *where is its line / row / element number. */
static zf_status out_write(sg_out *o, const sg_rec *r, long *where, zf_error *err)
{
    zf_status st = ZF_OK;
    if (o->fmt == F_XLSX) {
        if (o->pos > LXW_ROW_MAX) /* Excel's limit; libxlsxwriter would drop the rows */
            return zf_error_set(err, ZF_ERR_USAGE, o->path, o->pos, 0,
                                "more than %d rows in one worksheet: use a smaller --scale", LXW_ROW_MAX);
        lxw_row_t row = (lxw_row_t)(o->pos - 1);
        for (int i = 0; i < o->norder; i++) {
            const sg_field *f = &r->f[o->order[i]];
            lxw_col_t c = (lxw_col_t)i;
            bool is_int = o->order[i] < o->ncols && o->cols[o->order[i]].type == SG_INT;
            if (f->kind == K_NUM)
                worksheet_write_number(o->ws, row, c, f->num, is_int ? NULL : o->amtfmt);
            else if (f->kind == K_SERIAL)
                worksheet_write_number(o->ws, row, c, f->num, o->datefmt);
            else if (f->s[0])
                worksheet_write_string(o->ws, row, c, f->s, NULL);
        }
        *where = o->pos++;
        return ZF_OK;
    }
    if (o->fmt == F_CSV) {
        long nl = 0;
        for (int i = 0; i < o->norder && !st; i++) {
            if (i)
                st = put(o, ",", 1, err);
            if (!st)
                st = csv_field(o, r->f[o->order[i]].s, &nl, err);
        }
        if (!st)
            st = puts_(o, o->crlf ? "\r\n" : "\n", err);
        *where = o->pos;
        o->pos += 1 + nl;
    } else {
        *where = ++o->pos;
        if (o->fmt == F_JSON)
            st = puts_(o, o->pos > 1 ? ",\n{" : "\n{", err);
        else
            st = put(o, "{", 1, err);
        for (int i = 0; i < o->norder && !st; i++) {
            const sg_field *f = &r->f[o->order[i]];
            if (i)
                st = put(o, ", ", 2, err);
            if (!st)
                st = json_str(o, col_name(o, o->order[i]), err);
            if (!st)
                st = put(o, ": ", 2, err);
            if (!st)
                st = f->kind == K_NULL ? puts_(o, "null", err) : json_str(o, f->s, err);
        }
        if (!st)
            st = puts_(o, o->fmt == F_JSON ? "}" : "}\n", err);
    }
    if (!st && o->len >= BUF_FLUSH)
        st = flush(o, err);
    return st;
}

static zf_status out_close(sg_out *o, zf_error *err)
{
    if (!o)
        return ZF_OK;
    zf_status st = ZF_OK;
    if (o->fmt == F_XLSX) {
        lxw_error e = workbook_close(o->wb);
        if (e != LXW_NO_ERROR)
            st = zf_error_set(err, ZF_ERR_IO, o->path, 0, 0, "xlsx: %s", lxw_strerror(e));
    } else {
        if (o->fmt == F_JSON)
            st = puts_(o, "\n]\n", err);
        if (!st)
            st = flush(o, err);
        if (o->fp && fclose(o->fp) != 0 && !st)
            st = zf_error_set(err, ZF_ERR_IO, o->path, 0, 0, "close failed: %s", strerror(errno));
        if (o->cd != (iconv_t)-1)
            iconv_close(o->cd);
    }
    free(o->buf);
    free(o->conv);
    free(o);
    return st;
}

/* ---- truth lists -------------------------------------------------------- */

zf_status sg_list_add(sg_list *l, const char *source, const char *file, long line,
                      const char *column, const char *reason, const char *value)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        sg_truth *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return zf_error_set(NULL, ZF_ERR_NOMEM, "", 0, 0, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    sg_truth *t = &l->v[l->n];
    t->source = source;
    t->file = strdup(file);
    t->line = line;
    t->column = column;
    t->reason = reason;
    t->value = value ? strdup(value) : NULL;
    if (!t->file || (value && !t->value))
        return ZF_ERR_NOMEM;
    l->n++;
    return ZF_OK;
}

void sg_list_free(sg_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].file);
        free(l->v[i].value);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* ---- sources: files, good records, bad records -------------------------- */

zf_status sg_src_open(sg_src *s, sg_gen *g, const sg_srcdef *def, const sg_layout *lay,
                      const char *fname, zf_error *err)
{
    if (!s->def) { /* first file of the source */
        s->g = g;
        s->def = def;
        sg_rng_seed(&s->rng, g->seed, def->stem);
        sg_next(&s->rng); /* differs from the content stream of the same name */
        s->rng.s[0] ^= 0xBADBADBADULL;
    }
    s->lay = *lay;
    free(s->fname);
    s->fname = strdup(fname);
    if (!s->fname)
        return zf_error_set(err, ZF_ERR_NOMEM, fname, 0, 0, "out of memory");
    s->files++;
    return out_open(&s->out, g, def, lay, fname, err);
}

zf_status sg_src_close_file(sg_src *s, zf_error *err)
{
    zf_status st = out_close(s->out, err);
    s->out = NULL;
    return st;
}

static int find_col(const sg_srcdef *d, const char *name)
{
    for (int i = 0; i < d->ncols; i++)
        if (!strcmp(d->cols[i].name, name))
            return i;
    return -1;
}

/* A random column of the given type (any when type < 0 and required only). */
static int pick_col(sg_src *s, int type, bool required_only, bool pos_int_only)
{
    int cand[SG_MAXCOL], n = 0;
    for (int i = 0; i < s->def->ncols; i++) {
        const sg_col *c = &s->def->cols[i];
        if ((type < 0 || (int)c->type == type) && (!required_only || c->required) &&
            (!pos_int_only || c->pos_int))
            cand[n++] = i;
    }
    return n ? cand[sg_next(&s->rng) % (uint64_t)n] : -1;
}

static const char *pick(sg_rng *r, const char *const *v, size_t n) { return v[sg_next(r) % n]; }
#define PICK(r, arr) pick((r), (arr), sizeof(arr) / sizeof(arr[0]))

/* Makes exactly one problem of the given reason in rec; returns the column index
 * the pipeline should report, or -1 when the source has no such column. */
static int mutate(sg_src *s, sg_rec *rec, sg_reason reason, const char **colname)
{
    sg_rng *r = &s->rng;
    char b[64];
    int c = -1;
    *colname = NULL;
    switch (reason) {
    case R_MISSING:
        if ((c = pick_col(s, -1, true, false)) >= 0)
            sg_rec_str(rec, c, sg_chance(r, 0.2) ? "\xE3\x80\x80" : ""); /* U+3000 trims to empty */
        break;
    case R_BAD_DATE: {
        static const char *const v[] = {"2023-02-29", "2024-13-01", "2024/2/30", "2023.05.06",
                                        "20241301", "2024年2月30日", "05/06/2024", "2024-06-31",
                                        "2025-04-31 10:00:00", "不详"};
        if ((c = pick_col(s, SG_DATE, false, false)) >= 0)
            sg_rec_str(rec, c, PICK(r, v));
        break;
    }
    case R_DATE_RANGE:
        if ((c = pick_col(s, SG_DATE, false, false)) >= 0) {
            int form = (int)(sg_next(r) % SG_D_NFORMS);
            int32_t d = sg_chance(r, 0.5) ? sg_days(1990 + (int)sg_range(r, 0, 9), (int)sg_range(r, 1, 12), 1 + (int)sg_range(r, 0, 27))
                                          : sg_days(s->g->asof_year + 2 + (int)sg_range(r, 0, 5), (int)sg_range(r, 1, 12), 1 + (int)sg_range(r, 0, 27));
            sg_fmt_date(b, d, form, r);
            sg_rec_str(rec, c, b);
        }
        break;
    case R_BAD_AMOUNT: {
        static const char *const v[] = {"12.345", "约500", "N/A", "1.2.3", "3000元", "1,234.567"};
        if ((c = pick_col(s, SG_AMOUNT, false, false)) >= 0)
            sg_rec_str(rec, c, PICK(r, v));
        break;
    }
    case R_NEG_AMOUNT:
        if ((c = pick_col(s, SG_AMOUNT, false, false)) >= 0) {
            int64_t fen = sg_range(r, 100, 500000);
            if (rec->f[c].kind == K_NUM) { /* keep a numeric cell numeric */
                sg_fmt_amount(b, -fen, SG_A_FIXED);
                sg_rec_str(rec, c, b);
                rec->f[c].kind = K_NUM;
                rec->f[c].num = -(double)fen / 100.0; /* an XLSX number cell: output only */
            } else {
                sg_fmt_amount(b, -fen, sg_chance(r, 0.5) ? SG_A_FIXED : SG_A_PLAIN);
                sg_rec_str(rec, c, b);
            }
        }
        break;
    case R_BAD_INT: {
        static const char *const v[] = {"2.5", "三", "N/A", "2023.0", "约3", "1e3"};
        if ((c = pick_col(s, SG_INT, false, false)) >= 0)
            sg_rec_str(rec, c, PICK(r, v));
        break;
    }
    case R_OUT_OF_RANGE:
        if ((c = pick_col(s, SG_INT, false, true)) >= 0)
            sg_rec_str(rec, c, "0");
        break;
    case R_BAD_YESNO: {
        static const char *const v[] = {"是的", "未知", "2", "有", "√", "不是"};
        if ((c = pick_col(s, SG_YESNO, false, false)) >= 0)
            sg_rec_str(rec, c, PICK(r, v));
        break;
    }
    case R_BAD_ID:
        if ((c = pick_col(s, SG_CID, false, false)) >= 0) {
            char id[19];
            int32_t birth = sg_days(1950, 1, 1) + (int32_t)sg_range(r, 0, 20000);
            sg_citizen_id(id, birth, (int)sg_range(r, 0, 999));
            switch (sg_next(r) % 4) {
            case 0: id[17] = 0; break;                  /* 17 characters */
            case 1: id[10] = 'A'; break;                /* a letter inside */
            case 2: memcpy(id + 10, "0230", 4);         /* 30 February, check digit made valid */
                    id[17] = sg_id_check(id); break;
            default: id[15] = 0; break;                 /* the old 15-character form */
            }
            sg_rec_str(rec, c, id);
        }
        break;
    case R_BAD_ID_SUM:
        if ((c = pick_col(s, SG_CID, false, false)) >= 0) {
            char id[19];
            int32_t birth = sg_days(1950, 1, 1) + (int32_t)sg_range(r, 0, 20000);
            sg_citizen_id(id, birth, (int)sg_range(r, 0, 999));
            static const char digits[] = "0123456789X";
            char good = id[17];
            do
                id[17] = digits[sg_next(r) % 11];
            while (id[17] == good);
            sg_rec_str(rec, c, id);
        }
        break;
    case R_BAD_CREDIT:
        if ((c = pick_col(s, SG_CREDIT, false, false)) >= 0) {
            char cc[19];
            sg_credit_code(cc, r, '5', '3');
            switch (sg_next(r) % 3) {
            case 0: cc[17] = cc[17] == 'A' ? 'B' : 'A'; break; /* wrong check character */
            case 1: cc[12] = 'I'; break;                       /* I is not in the alphabet */
            default: cc[17] = 0; break;                        /* 17 characters */
            }
            sg_rec_str(rec, c, cc);
        }
        break;
    case R_UNKNOWN_ENUM:
        if ((c = pick_col(s, SG_ENUM, false, false)) >= 0) {
            static const char *const v[] = {"其它", "未知", "待定"};
            if (sg_chance(r, 0.5)) {
                snprintf(b, sizeof b, "%s类", s->def->cols[c].vocab[0]);
                sg_rec_str(rec, c, b);
            } else {
                sg_rec_str(rec, c, PICK(r, v));
            }
        }
        break;
    case R_UNKNOWN_REGION: {
        static const char *const v[] = {"凤山镇", "朗霞镇", "城东街道", "宁波市", "余姚", "四明山乡"};
        if ((c = pick_col(s, SG_REGION, false, false)) >= 0)
            sg_rec_str(rec, c, PICK(r, v));
        break;
    }
    case R_INCONSISTENT: {
        int ct = find_col(s->def, "医疗总费用"), cp = find_col(s->def, "政策范围内费用"),
            cb = find_col(s->def, "基本医保支付"), cm = find_col(s->def, "大病保险支付"),
            ca = find_col(s->def, "医疗救助支付");
        if (ct < 0 || cp < 0 || cb < 0 || cm < 0 || ca < 0)
            break;
        int64_t t = sg_range(r, 20000, 3000000), p, bb, m, a;
        if (sg_chance(r, 0.5)) { /* policy-scope cost above the total */
            p = t + sg_range(r, 1, 50000);
            bb = t / 2, m = 0, a = t / 5;
            c = cp;
        } else {                 /* three payments above the total */
            p = t * 9 / 10;
            bb = t * 6 / 10, m = t * 2 / 10, a = t * 25 / 100;
            c = cb;
        }
        int64_t v[5] = {t, p, bb, m, a};
        int cols[5] = {ct, cp, cb, cm, ca};
        for (int i = 0; i < 5; i++) {
            sg_fmt_amount(b, v[i], SG_A_FIXED);
            sg_rec_str(rec, cols[i], b);
        }
        break;
    }
    case R_DUPLICATE:
    case R_NREASONS:
        break;
    }
    if (c >= 0)
        *colname = s->def->cols[c].name;
    return c;
}

static zf_status inject(sg_src *s, const sg_rec *base, sg_reason reason, zf_error *err)
{
    const char *colname = NULL;
    if (reason == R_DUPLICATE) {
        if (!s->have_saved)
            return ZF_OK;
        sg_rec_copy(&s->tmp, &s->saved); /* same key as an earlier good record, rest valid */
        colname = s->def->cols[0].name;
    } else {
        sg_rec_copy(&s->tmp, base);
        if (s->def->cols[0].type == SG_TEXT && base->f[0].s[0]) {
            /* a fresh key, so the record has no problem besides the injected one */
            char k[128];
            snprintf(k, sizeof k, "%s-%ld", base->f[0].s, ++s->n_clone);
            sg_rec_str(&s->tmp, 0, k);
        }
        if (mutate(s, &s->tmp, reason, &colname) < 0)
            return ZF_OK; /* not applicable to this source: the lists avoid it */
    }
    long where = 0;
    zf_status st = out_write(s->out, &s->tmp, &where, err);
    if (!st)
        st = sg_list_add(&s->g->truth, s->def->stem, s->fname, where, colname,
                         sg_reason_names[reason], NULL);
    if (!st) {
        s->count[reason]++;
        s->n_bad++;
        s->g->rows_total++;
    }
    return st;
}

static zf_status emit(sg_src *s, sg_rec *rec, long *where, zf_error *err)
{
    zf_status st = out_write(s->out, rec, where, err);
    if (st)
        return st;
    s->n_good++;
    s->g->rows_total++;
    if (s->def->nbad && sg_chance(&s->rng, s->def->bad_share)) {
        sg_reason reason = s->def->bad[s->rr++ % s->def->nbad];
        if ((st = inject(s, rec, reason, err)))
            return st;
    }
    /* reservoir-like sample of earlier good records, the originals of duplicates */
    if (!s->have_saved || sg_chance(&s->rng, 1.0 / 64)) {
        sg_rec_copy(&s->saved, rec);
        s->have_saved = true;
    }
    return ZF_OK;
}

zf_status sg_src_emit(sg_src *s, sg_rec *rec, zf_error *err)
{
    long where;
    return emit(s, rec, &where, err);
}

zf_status sg_src_orphan(sg_src *s, sg_rec *rec, int hh_col, zf_error *err)
{
    long where;
    zf_status st = emit(s, rec, &where, err);
    if (!st)
        st = sg_list_add(&s->g->orphans, s->def->stem, s->fname, where, NULL, NULL,
                         rec->f[hh_col].s);
    return st;
}

zf_status sg_src_finish(sg_src *s, zf_error *err)
{
    zf_status st = ZF_OK;
    /* top up: every listed reason at least min_per_reason times */
    for (int i = 0; i < s->def->nbad && !st && s->out && s->have_saved; i++) {
        sg_reason reason = s->def->bad[i];
        int want = 0, guard = 0; /* a reason listed k times is wanted k times as often */
        for (int k = 0; k < s->def->nbad; k++)
            want += s->def->bad[k] == reason ? s->def->min_per_reason : 0;
        while (!st && s->count[reason] < want && guard++ < 100)
            st = inject(s, &s->saved, reason, err);
    }
    zf_status st2 = sg_src_close_file(s, err);
    if (!s->g->quiet)
        fprintf(stderr, "zf-samplegen: %-28s %9ld good %6ld bad  %ld file(s)\n", s->def->stem,
                s->n_good, s->n_bad, s->files);
    return st ? st : st2;
}

void sg_src_free(sg_src *s)
{
    if (s->out) {
        zf_error e;
        (void)out_close(s->out, &e);
        s->out = NULL;
    }
    free(s->fname);
    s->fname = NULL;
}
