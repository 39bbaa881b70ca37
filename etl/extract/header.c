/* header.c — which row of a sheet is its header, for every format with rows (CSV, TSV,
 * XLSX).  People put a title, a 填报单位 line and blank rows above the header, and split a
 * header over two rows under merged cells (救助金额 over 本月 and 累计).  The readers feed
 * the first rows here as texts; this decides, and gives the names of the header's columns:
 * for a two-row header "救助金额/本月", which is how a source definition names such a column. */
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

size_t zf_rd_header_key(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap;) {
        const unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
        } else if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) {
            i += 3;   /* U+3000 */
        } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
            i += 2;   /* U+00A0 */
        } else if (c == 0xEF && i + 2 < len && ((unsigned char)s[i + 1] == 0xBC || (unsigned char)s[i + 1] == 0xBD)) {
            /* U+FF01..U+FF5E, the full-width forms of ! to ~: （元） is (元) */
            const unsigned cp = 0xFF00u + ((unsigned)((unsigned char)s[i + 1] - 0xBC) << 6) +
                                ((unsigned char)s[i + 2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[n++] = (char)(cp - 0xFF01 + 0x21);
                i += 3;
            } else {
                out[n++] = s[i++];
            }
        } else {
            out[n++] = s[i++];
        }
    }
    return n;
}

bool zf_rd_header_same(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return true;
    char ka[512], kb[512];
    if (alen >= sizeof ka || blen >= sizeof kb)
        return false;
    size_t na = zf_rd_header_key(a, alen, ka, sizeof ka), nb = zf_rd_header_key(b, blen, kb, sizeof kb);
    return na == nb && memcmp(ka, kb, na) == 0;
}

size_t zf_rd_header_score(const zf_reader *r, const char *const *texts, const size_t *lens, size_t n)
{
    size_t score = 0;
    for (size_t w = 0; w < r->n_columns; w++)
        for (size_t i = 0; i < n; i++)
            if (lens[i] && zf_rd_header_same(texts[i], lens[i], r->columns[w], r->column_lens[w])) {
                score++;
                break;
            }
    return score;
}

bool zf_rd_is_header(const zf_reader *r, size_t score)
{
    return r->n_columns == 0 || (score > 0 && 2 * score >= r->n_columns);
}

/* Whether the source names a column of a two-row header ("救助金额/本月"). */
static bool wants_pairs(const zf_reader *r)
{
    for (size_t w = 0; w < r->n_columns; w++)
        if (memchr(r->columns[w], '/', r->column_lens[w]))
            return true;
    return false;
}

/* Keep texts[0..n) in a names list (copied: the reader's buffer moves on). */
static bool keep(zf_rd_names *l, const char *const *texts, const size_t *lens, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += lens[i] + 1;
    char *text = malloc(bytes ? bytes : 1);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    size_t *ls = malloc((n ? n : 1) * sizeof *ls);
    if (!text || !names || !ls) {
        free(text);
        free(names);
        free(ls);
        return false;
    }
    zf_rd_names_free(l);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i])
            memcpy(text + at, texts[i], lens[i]);
        names[i] = text + at;
        ls[i] = lens[i];
        at += lens[i];
        text[at++] = '\0';
    }
    *l = (zf_rd_names){ text, names, ls, n };
    return true;
}

void zf_rd_names_free(zf_rd_names *l)
{
    free(l->text);
    free(l->names);
    free(l->lens);
    memset(l, 0, sizeof *l);
}

/* The names of a two-row header: for column j, "upper/lower".  An empty upper cell takes
 * the nearest upper text to its left — a cell merged across columns holds its text in the
 * first of them; an empty lower cell leaves the upper text alone (merged down both rows). */
static bool compose(const zf_rd_names *up, const char *const *low, const size_t *low_lens, size_t n_low,
                    zf_rd_names *out)
{
    size_t n = up->n > n_low ? up->n : n_low, bytes = 0;
    const char **texts = malloc((n ? n : 1) * sizeof *texts);
    size_t *lens = malloc((n ? n : 1) * sizeof *lens);
    char *joined = NULL;
    for (size_t j = 0; texts && lens && j < n; j++)
        bytes += (j < up->n ? up->lens[j] : 0) + 64 + (j < n_low ? low_lens[j] : 0);
    /* the widest upper text may be carried over every column: room for it each time */
    for (size_t j = 0; j < up->n; j++)
        bytes += up->lens[j] * n;
    if (texts && lens)
        joined = malloc(bytes + 1);
    bool ok = texts && lens && joined;
    const char *carry = "";
    size_t carry_len = 0, at = 0;
    for (size_t j = 0; ok && j < n; j++) {
        const char *u = j < up->n ? up->names[j] : "";
        size_t ul = j < up->n ? up->lens[j] : 0;
        const char *l = j < n_low ? low[j] : "";
        size_t ll = j < n_low ? low_lens[j] : 0;
        if (ul) {
            carry = u;
            carry_len = ul;
        } else if (ll) {
            u = carry;
            ul = carry_len;
        }
        texts[j] = joined + at;
        if (ul)   /* a cell left out of a sheet row is {NULL, 0}: no memcpy from NULL */
            memcpy(joined + at, u, ul);
        at += ul;
        if (ul && ll)
            joined[at++] = '/';
        if (ll)
            memcpy(joined + at, l, ll);
        at += ll;
        lens[j] = (size_t)(joined + at - texts[j]);
    }
    ok = ok && keep(out, texts, lens, n);
    free(texts);
    free(lens);
    free(joined);
    return ok;
}

zf_rd_header_verdict zf_rd_header_feed(zf_reader *r, zf_rd_header_search *s, long line, const char *const *texts,
                                       const size_t *lens, size_t n)
{
    const size_t score = zf_rd_header_score(r, texts, lens, n);
    if (!s->started) {
        s->started = true;
        s->pairs = wants_pairs(r);
    }
    if (s->held.names) {   /* a header that may have a lower half: this row tells */
        zf_rd_names pair = {0};
        if (!compose(&s->held, texts, lens, n, &pair))
            return ZF_RD_HEADER_NOMEM;
        const size_t pair_score = zf_rd_header_score(r, pair.names, pair.lens, pair.n);
        if (pair_score > s->held_score) {
            zf_rd_names_free(&s->held);
            s->header = pair;
            s->line = line;
            return ZF_RD_HEADER_PAIR;
        }
        zf_rd_names_free(&pair);
        s->header = s->held;
        memset(&s->held, 0, sizeof s->held);
        return ZF_RD_HEADER_PREVIOUS;
    }
    if (!zf_rd_is_header(r, score)) {
        if (!s->pairs)
            return ZF_RD_HEADER_NOT_YET;
        /* the upper half of a two-row header may name no wanted column by itself */
        if (s->prev.names) {
            zf_rd_names pair = {0};
            if (!compose(&s->prev, texts, lens, n, &pair))
                return ZF_RD_HEADER_NOMEM;
            if (zf_rd_is_header(r, zf_rd_header_score(r, pair.names, pair.lens, pair.n))) {
                s->header = pair;
                s->line = line;
                return ZF_RD_HEADER_PAIR;
            }
            zf_rd_names_free(&pair);
        }
        return keep(&s->prev, texts, lens, n) ? ZF_RD_HEADER_NOT_YET : ZF_RD_HEADER_NOMEM;
    }
    if (!s->pairs) {
        s->line = line;
        return keep(&s->header, texts, lens, n) ? ZF_RD_HEADER_THIS : ZF_RD_HEADER_NOMEM;
    }
    if (!keep(&s->held, texts, lens, n))
        return ZF_RD_HEADER_NOMEM;
    s->held_score = score;
    s->line = line;
    return ZF_RD_HEADER_NOT_YET;
}

bool zf_rd_header_end(zf_rd_header_search *s)
{
    if (!s->held.names)
        return false;
    s->header = s->held;
    memset(&s->held, 0, sizeof s->held);
    return true;
}

void zf_rd_header_search_free(zf_rd_header_search *s)
{
    zf_rd_names_free(&s->held);
    zf_rd_names_free(&s->prev);
    zf_rd_names_free(&s->header);
    memset(s, 0, sizeof *s);
}
