/* rowkind.c — telling a sheet's 合计 and note rows from broken records, and checking a
 * 合计 row's sums against the records above it (see zf_rowkind.h).  Only rows that failed
 * validation are looked at, so none of this is on the path of a good record except the
 * running sums. */
#include "zf_rowkind.h"

#include "zf_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The label without its spaces (合 计, 合　计) and at most 64 bytes of it. */
static size_t squeeze(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 4 < size;) {
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
        } else if (i + 2 < len && !memcmp(s + i, "\xE3\x80\x80", 3)) {   /* U+3000 */
            i += 3;
        } else {
            out[n++] = s[i++];
        }
    }
    out[n] = '\0';
    return n;
}

static bool starts(const char *s, const char *word)
{
    return !strncmp(s, word, strlen(word));
}

zf_row_kind zf_row_kind_of(bool has_label, const char *label, size_t len)
{
    if (!has_label || !len)
        return ZF_ROW_BLANK;
    static const char *const totals[] = {"合计", "小计", "总计", "共计", "总合计"};
    static const char *const notes[] = {"制表", "填表", "填报人", "审核", "复核", "负责人", "单位负责人",
                                        "分管领导", "联系人", "联系电话", "说明", "备注", "注：", "注:",
                                        "注1", "注 ", "签字", "盖章", "（盖章）", "(盖章)", "报送日期",
                                        "统计时间", "数据来源"};
    char s[72];
    squeeze(label, len, s, sizeof s);
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++)
        if (starts(s, totals[i]))
            return ZF_ROW_TOTAL;
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++)
        if (starts(s, notes[i]))
            return ZF_ROW_NOTE;
    return ZF_ROW_RECORD;
}

static bool summed(zf_coltype t)
{
    return t == ZF_COL_AMOUNT || t == ZF_COL_INTEGER || t == ZF_COL_DECIMAL;
}

zf_status zf_totals_init(zf_totals *t, const zf_source *src)
{
    memset(t, 0, sizeof *t);
    t->src = src;
    size_t n = src->n_columns ? src->n_columns : 1;
    t->sum = calloc(n, sizeof *t->sum);
    t->part = calloc(n, sizeof *t->part);
    t->overflow = calloc(n, sizeof *t->overflow);
    t->cols = calloc(n, sizeof *t->cols);
    for (size_t i = 0; t->cols && i < src->n_columns; i++)
        if (summed(src->columns[i].type))
            t->cols[t->n_cols++] = i;
    if (t->sum && t->part && t->overflow && t->cols)
        return ZF_OK;
    zf_totals_free(t);
    return ZF_ERR_NOMEM;
}

void zf_totals_free(zf_totals *t)
{
    free(t->sum);
    free(t->part);
    free(t->overflow);
    free(t->cols);
    memset(t, 0, sizeof *t);
}

void zf_totals_add(zf_totals *t, const zf_value *values)
{
    for (size_t k = 0; k < t->n_cols; k++) {
        const size_t i = t->cols[k];
        if (!values[i].present)
            continue;
        if (__builtin_add_overflow(t->sum[i], values[i].i, &t->sum[i]) ||
            __builtin_add_overflow(t->part[i], values[i].i, &t->part[i]))
            t->overflow[i] = true;
    }
    t->records++;
}

/* v in the column's unit (hundredths, millionths or ones) as people write it. */
static void shown(zf_coltype type, int64_t v, char *buf, size_t size)
{
    const int64_t scale = type == ZF_COL_AMOUNT ? 100 : type == ZF_COL_DECIMAL ? 1000000 : 1;
    const int digits = type == ZF_COL_AMOUNT ? 2 : 6;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (scale == 1)
        snprintf(buf, size, "%s%llu", v < 0 ? "-" : "", (unsigned long long)mag);
    else
        snprintf(buf, size, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)(mag / (uint64_t)scale), digits,
                 (unsigned long long)(mag % (uint64_t)scale));
}

bool zf_totals_check(zf_totals *t, const zf_cell *cells, const bool *present, bool subtotal,
                     const zf_value_ctx *ctx, char *buf, size_t size)
{
    bool all = true;
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->src->n_columns; i++) {
        const zf_column *col = &t->src->columns[i];
        if (!summed(col->type) || (present && !present[i]) || !cells[i].len ||
            zf_row_kind_of(true, cells[i].ptr, cells[i].len) == ZF_ROW_TOTAL)   /* the 合计 label itself */
            continue;
        zf_value v;
        int n;
        if (zf_value_parse(col, &cells[i], ctx, &v) != ZF_REASON_NONE || !v.present) {
            /* a 合计 that cannot be read is said so, not left out of the comparison */
            char raw[64], shown_cell[96];
            size_t m = zf_utf8_cut(cells[i].ptr, cells[i].len, sizeof raw);
            memcpy(raw, cells[i].ptr, m);
            zf_mask_identifiers(raw, m);   /* an ID or a mobile typed there is still masked */
            zf_text_safe(raw, m, shown_cell, sizeof shown_cell);
            all = false;
            n = snprintf(buf + at, size - at, "%s%s '%s' 不是数值，未核对", at ? "；" : "", col->name, shown_cell);
            if (n < 0 || (size_t)n >= size - at) {
                buf[at] = '\0';
                break;
            }
            at += (size_t)n;
            continue;
        }
        char a[40], b[40], d[64] = "";
        const int64_t want = subtotal ? t->part[i] : t->sum[i];
        bool same = !t->overflow[i] && v.i == want;
        all &= same;
        shown(col->type, v.i, a, sizeof a);
        shown(col->type, want, b, sizeof b);
        int64_t diff;
        if (!same && !t->overflow[i] && !__builtin_sub_overflow(v.i, want, &diff)) {
            char x[40];
            shown(col->type, diff, x, sizeof x);
            snprintf(d, sizeof d, "（差 %s）", x);
        }
        n = snprintf(buf + at, size - at, "%s%s %s %s %s之和 %s%s", at ? "；" : "", col->name, a,
                         same ? "=" : "≠", subtotal ? "本段记录" : "记录", t->overflow[i] ? "（超出范围）" : b, d);
        if (n < 0 || (size_t)n >= size - at) {   /* no half sentence (nor half character) */
            buf[at] = '\0';
            break;
        }
        at += (size_t)n;
    }
    if (subtotal) {
        memset(t->part, 0, t->src->n_columns * sizeof *t->part);
        t->records = 0;
    }
    return all;
}
