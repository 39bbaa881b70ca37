/* submissions.c — the values of a "submitted" rule: the latest report of each (region,
 * year) known at the run — filed on or before the as-of date when 填报日期 is declared a
 * reporting date (a year's figures are filed after it ends), else on or before R — the
 * reports it superseded, and the roll-up of the regions without their own report
 * (zf_submissions.h).  Exact: components are kept as integer millionths and a value is
 * the fraction Σ分子 × factor / Σ分母 — a rate of a parent is never a mean of rates. */
#include "zf_submissions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An earlier report of the same (year, region) that the one kept supersedes. */
typedef struct superseded {
    int32_t date;
    struct superseded *next;
} superseded;

/* The report that counts for one (year, region). */
typedef struct report {
    bool has;
    int32_t date;
    int64_t num, den, val;   /* millionths */
    bool numeric;            /* val holds a number (else word) */
    const char *word;
    const char *file;
    long line;
    int64_t records;         /* reports known at the cutoff, superseded ones included */
    superseded *older;       /* the reports known at the cutoff that this one supersedes */
} report;

/* What a region ends up with, own or rolled up. */
typedef struct node {
    bool reported;           /* own report or complete roll-up: the region has numbers */
    bool has;                /* ... and a value (not 0/0) */
    bool own, show_components;
    int64_t num, den, val;
    const char *word;
    zf_nodata_reason nodata;
    int64_t records;
} node;

struct zf_subm {
    const zf_defs *defs;
    const zf_rule *rule;
    const zf_submitted *sub;
    int32_t as_of;
    bool reporting;          /* 填报日期 is a reporting date: the cutoff is as_of, not R */
    int first_year;          /* one before the plan (or its baseline year): growth needs Y-1 */
    size_t n_years, n_regions;
    report *reports;         /* [year - first_year][region] */
    node *nodes;
    bool settled;
    zf_arena arena;          /* words */
};

zf_status zf_subm_new(zf_subm **out, const zf_defs *defs, const zf_rule *rule, int32_t as_of)
{
    *out = NULL;
    const zf_plan *p = &defs->plan;
    zf_subm *s = calloc(1, sizeof *s);
    if (!s)
        return ZF_ERR_NOMEM;
    s->defs = defs;
    s->rule = rule;
    s->sub = rule->submitted;
    s->as_of = as_of;
    if (s->sub)
        s->reporting = defs->sources.sources[rule->sel.source].columns[s->sub->date_col].reporting_date;
    int first = p->years[0];
    if (p->baseline_year && p->baseline_year < first)
        first = p->baseline_year;
    s->first_year = first - 1;
    s->n_years = (size_t)(p->years[p->n_years - 1] - s->first_year + 1);
    s->n_regions = defs->regions.n_regions;
    s->reports = calloc(s->n_years * s->n_regions, sizeof *s->reports);
    s->nodes = calloc(s->n_years * s->n_regions, sizeof *s->nodes);
    zf_arena_init(&s->arena, 4096);
    if (!s->reports || !s->nodes || !s->sub) {
        zf_subm_free(s);
        return ZF_ERR_NOMEM;
    }
    *out = s;
    return ZF_OK;
}

void zf_subm_free(zf_subm *s)
{
    if (!s)
        return;
    free(s->reports);
    free(s->nodes);
    zf_arena_free(&s->arena);
    free(s);
}

/* A numeric cell as millionths, by the column's type. */
static bool millionths(const zf_subm *s, size_t col, const zf_value *v, int64_t *out)
{
    const zf_value *c = &v[col];
    if (!c->present)
        return false;
    switch (s->defs->sources.sources[s->rule->sel.source].columns[col].type) {
    case ZF_COL_DECIMAL:
        *out = c->i;
        return true;
    case ZF_COL_TEXT_OR_DECIMAL:
        *out = c->i;
        return c->numeric;
    case ZF_COL_AMOUNT:
        *out = c->i * 10000;
        return true;
    case ZF_COL_INTEGER:
        *out = c->i * 1000000;
        return true;
    default:
        return false;
    }
}

/* The last 填报日期 that counts for year: what was filed by the as-of date for a reporting
 * date — a correction filed in spring changes the closed year's figure of the next run —
 * else the year's reference date R. */
static int32_t cutoff(const zf_subm *s, int year)
{
    int32_t end = zf_days_from_civil(year, 12, 31);
    return s->reporting || s->as_of < end ? s->as_of : end;
}

static ZF_MUST_CHECK zf_status note_superseded(zf_subm *s, report *r, int32_t date)
{
    superseded *o = zf_arena_calloc(&s->arena, 1, sizeof *o);
    if (!o)
        return ZF_ERR_NOMEM;
    o->date = date;
    o->next = r->older;
    r->older = o;
    return ZF_OK;
}

zf_status zf_subm_feed(zf_subm *s, const zf_value *v, const char *file, long line)
{
    const zf_submitted *sub = s->sub;
    const zf_value *plan = &v[sub->plan_col], *ind = &v[sub->indicator_col], *reg = &v[s->rule->region_column],
                   *yr = &v[sub->year_col], *date = &v[sub->date_col];
    if (!plan->present || !ind->present || !reg->present || !yr->present || !date->present)
        return ZF_OK;
    if (ind->i != sub->indicator || strlen(sub->plan_id) != plan->len || memcmp(sub->plan_id, plan->s, plan->len) != 0)
        return ZF_OK;
    if (yr->i < s->first_year || yr->i >= s->first_year + (int64_t)s->n_years || reg->i < 0 ||
        (size_t)reg->i >= s->n_regions)
        return ZF_OK;
    if (date->i > cutoff(s, (int)yr->i))
        return ZF_OK;   /* filed after the cutoff: not known then, whatever it says */
    report got = {.has = true, .date = (int32_t)date->i, .file = file, .line = line};
    if (sub->components) {
        if (!millionths(s, sub->num_col, v, &got.num) || !millionths(s, sub->den_col, v, &got.den))
            return ZF_OK;   /* a report without both components says nothing for this rule */
    } else if (s->rule->value_kind == ZF_VALUE_WORD) {
        const zf_value *w = &v[sub->value_col];
        if (!w->present)
            return ZF_OK;
        got.word = w->s;    /* copied below once it wins */
        got.val = (int64_t)w->len;
    } else {
        if (!millionths(s, sub->value_col, v, &got.val))
            return ZF_OK;
        got.numeric = true;
    }
    report *r = &s->reports[(size_t)(yr->i - s->first_year) * s->n_regions + (size_t)reg->i];
    got.records = r->records + 1;
    if (r->has && got.date < r->date) {
        r->records = got.records;   /* an earlier report, superseded by the one kept */
        return note_superseded(s, r, got.date);
    }
    /* a later 填报日期 supersedes; the same date again (not possible past the key check)
       goes to the later record in file order */
    if (got.word && !(got.word = zf_arena_strndup(&s->arena, got.word, (size_t)got.val)))
        return ZF_ERR_NOMEM;
    got.older = r->older;
    zf_status st = r->has ? note_superseded(s, &got, r->date) : ZF_OK;
    *r = got;
    return st;
}

/* ---- roll-up ------------------------------------------------------------ */

static zf_frac node_value(const zf_subm *s, const node *n)
{
    if (s->sub->components)
        return (zf_frac){(zf_i128)n->num * s->rule->factor, n->den};
    return (zf_frac){n->val, 1000000};
}

static void from_report(const zf_subm *s, const report *r, node *n)
{
    n->reported = n->own = true;
    n->records = r->records;
    if (s->sub->components) {
        n->num = r->num;
        n->den = r->den;
        n->show_components = true;
        n->has = r->den != 0;
        if (!n->has)
            n->nodata = ZF_NODATA_ZERO_DENOMINATOR;
    } else {
        n->val = r->val;
        n->word = r->word;
        n->has = true;
    }
}

static void roll_up(const zf_subm *s, size_t y, size_t i, node *n)
{
    const zf_region_tree *t = &s->defs->regions;
    const node *row = &s->nodes[y * s->n_regions];
    size_t kids = 0;
    const node *best = NULL;
    int64_t num = 0, den = 0, val = 0, records = 0;
    for (size_t k = i + 1; k < t->n_regions && t->regions[k].depth > t->regions[i].depth; k++) {
        if (t->regions[k].parent != (int)i)
            continue;
        const node *c = &row[k];
        kids++;
        if (!c->reported) {
            n->nodata = ZF_NODATA_NO_REPORT;   /* a child is missing: its part, or the lowest, is unknown */
            return;
        }
        records += c->records;
        num += c->num;
        den += c->den;
        val += c->val;
        if (c->has && (!best || (s->sub->rollup == ZF_ROLLUP_MIN
                                     ? zf_frac_cmp(node_value(s, c), node_value(s, best)) < 0
                                     : zf_frac_cmp(node_value(s, c), node_value(s, best)) > 0)))
            best = c;
    }
    if (!kids) {
        n->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    n->reported = true;
    n->records = records;
    if (s->sub->rollup == ZF_ROLLUP_SUM) {
        n->num = num;
        n->den = den;
        n->val = val;
        n->show_components = s->sub->components;
        n->has = !s->sub->components || den != 0;
    } else if (best) {
        n->num = best->num;
        n->den = best->den;
        n->val = best->val;
        n->has = true;
    }
    if (!n->has)
        n->nodata = ZF_NODATA_ZERO_DENOMINATOR;
}

static void settle(zf_subm *s)
{
    const zf_region_tree *t = &s->defs->regions;
    for (size_t y = 0; y < s->n_years; y++)
        for (size_t i = t->n_regions; i-- > 0;) {   /* children (later in pre-order) first */
            node *n = &s->nodes[y * s->n_regions + i];
            const report *r = &s->reports[y * s->n_regions + i];
            memset(n, 0, sizeof *n);
            if (r->has)
                from_report(s, r, n);   /* a region's own report wins over a roll-up */
            else if (s->sub->rollup != ZF_ROLLUP_NONE)
                roll_up(s, y, i, n);
            else
                n->nodata = ZF_NODATA_NO_REPORT;
        }
    s->settled = true;
}

/* ---- rows --------------------------------------------------------------- */

/* millionths as the shortest exact decimal: 1205000000 → 1205 (scale 0), 1500 → 15 (scale 4) */
static void shortest(int64_t v, int64_t *out, int *scale)
{
    *scale = 6;
    while (*scale > 0 && v % 10 == 0) {
        v /= 10;
        (*scale)--;
    }
    *out = v;
}

void zf_subm_result(zf_subm *s, int year, int region, zf_result *res)
{
    if (!s->settled)
        settle(s);
    int64_t y = year - s->first_year;
    if (y < 1 || y >= (int64_t)s->n_years || region < 0 || (size_t)region >= s->n_regions) {
        res->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    const node *n = &s->nodes[(size_t)y * s->n_regions + (size_t)region];
    res->records = n->records;
    if (s->sub->growth) {
        const node *p = &s->nodes[(size_t)(y - 1) * s->n_regions + (size_t)region];
        zf_frac a = n->has ? node_value(s, n) : (zf_frac){0, 1}, b = p->has ? node_value(s, p) : (zf_frac){0, 1};
        if (!n->has || !p->has || b.n == 0) {
            res->nodata = ZF_NODATA_NO_REPORT;
            return;
        }
        /* a/b - 1 = (a.n·b.d - b.n·a.d) / (a.d·b.n) */
        zf_frac g = {a.n * b.d - b.n * a.d, a.d * b.n};
        if (g.d < 0) {
            g.n = -g.n;
            g.d = -g.d;
        }
        res->has_value = true;
        res->value = zf_frac_reduce(g);
        return;
    }
    if (n->show_components) {
        res->has_num = res->has_den = true;
        shortest(n->num, &res->num, &res->num_scale);
        shortest(n->den, &res->den, &res->den_scale);
    }
    if (!n->has) {
        res->nodata = n->nodata ? n->nodata : ZF_NODATA_NO_REPORT;
        return;
    }
    res->has_value = true;
    if (s->rule->value_kind == ZF_VALUE_WORD)
        res->word = n->word;
    else
        res->value = zf_frac_reduce(node_value(s, n));
}

static void walk(const zf_subm *s, size_t y, size_t i,
                 void (*fn)(void *ctx, const char *file, long line, int region), void *ctx)
{
    const zf_region_tree *t = &s->defs->regions;
    const node *n = &s->nodes[y * s->n_regions + i];
    const report *r = &s->reports[y * s->n_regions + i];
    if (n->own) {
        fn(ctx, r->file, r->line, (int)i);
        return;
    }
    if (!n->reported)
        return;
    for (size_t k = i + 1; k < t->n_regions && t->regions[k].depth > t->regions[i].depth; k++)
        if (t->regions[k].parent == (int)i)
            walk(s, y, k, fn, ctx);
}

void zf_subm_sources(zf_subm *s, int year, int region,
                     void (*fn)(void *ctx, const char *file, long line, int region), void *ctx)
{
    if (!s->settled)
        settle(s);
    int64_t y = year - s->first_year;
    if (y < 0 || y >= (int64_t)s->n_years || region < 0 || (size_t)region >= s->n_regions)
        return;
    walk(s, (size_t)y, (size_t)region, fn, ctx);
    if (s->sub->growth && y > 0)
        walk(s, (size_t)(y - 1), (size_t)region, fn, ctx);
}

void zf_subm_superseded(const zf_subm *s, int year, int region,
                        void (*fn)(void *ctx, int32_t date, int32_t by_date), void *ctx)
{
    int64_t y = year - s->first_year;
    if (y < 0 || y >= (int64_t)s->n_years || region < 0 || (size_t)region >= s->n_regions)
        return;
    const report *r = &s->reports[(size_t)y * s->n_regions + (size_t)region];
    size_t n = 0;
    for (const superseded *o = r->older; o; o = o->next)
        n++;
    /* the list is newest-noted first; report oldest 填报日期 first (n is a handful) */
    for (int32_t last = INT32_MIN; n-- > 0;) {
        int32_t next = INT32_MAX;
        for (const superseded *o = r->older; o; o = o->next)
            if (o->date > last && o->date < next)
                next = o->date;
        if (next == INT32_MAX)
            break;
        fn(ctx, next, r->date);
        last = next;
    }
}
