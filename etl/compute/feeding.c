/* feeding.c — compute: the feeding loop.  A record of a source goes to the source's
 * tallies (zf_eng_feed_tallies, tallies.c) and to its other consumers: joins
 * (zf_eng_feed_join, joins.c), submitted reports, and the rest by year — for each
 * candidate year, the record's selection is tested and its amounts added to the job's
 * accumulators (feed_year: rates, ratios, counts, distinct counts, growth, latest,
 * coverage), with the traced value's records reported on the way. */

#include "engine_internal.h"

#include <stdio.h>

static void emit(const zf_engine *e, const origin *o, const job *j, zf_trace_role role,
                 size_t source, const zf_value *v, int64_t num, int64_t den)
{
    const zf_rule *r = j->rule;
    zf_trace_row row = {role, source, o->file, o->line, v, NULL, 0, num, den,
                        zf_eng_sum_scale(e, r->sel.source, &r->num_sum),
                        zf_eng_sum_scale(e, r->kind == ZF_RULE_RATIO ? r->den_sel.source : r->sel.source,
                                         &r->den_sum)};
    e->trace(e->trace_ctx, &row);
}

/* A trace row carries int64 amounts: one record's past that is shown at the limit (the
 * value it goes into is reported as out of range by then). */
static int64_t trace_amount(zf_i128 v)
{
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

static void add_ratio_den(acc *a, const void *p)
{
    const rate_arg *r = p;
    a->den_records++;
    a->overflow |= r->overflow;
    acc_add(a, &a->den, r->den);
}

static void add_count(acc *a, const void *p)
{
    (void)p;
    a->records++;
    a->num++;
}

static void add_growth_prev(acc *a, const void *p)
{
    const rate_arg *r = p;
    a->prev_records++;
    a->overflow |= r->overflow;
    acc_add(a, &a->prev_num, r->num);
    acc_add(a, &a->prev_den, r->den);
}

static void add_cover(acc *a, const void *p)
{
    (void)p;
    a->records++;
    a->covered = true;
}

static ZF_MUST_CHECK zf_status feed_distinct(const zf_engine *e, const origin *o, job *j, const zf_value *v,
                                             size_t y, int region)
{
    const zf_value *k = &v[j->rule->distinct_column];
    if (!k->present)
        return ZF_OK;
    bool added;
    uint32_t *seen = zf_keymap_put(&j->keys, k->s, k->len, &added);
    if (!seen)
        return ZF_ERR_NOMEM;
    if (!(*seen & (1u << y))) {
        *seen |= 1u << y;
        add(j, y, region, add_count, NULL);
        if (traced(e, j, y, region))
            emit(e, o, j, ZF_TRACE_NUMERATOR, j->rule->sel.source, v, 1, 0);
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status feed_latest(const zf_engine *e, const origin *o, job *j, const zf_value *v,
                                           size_t y, int region)
{
    const zf_rule *r = j->rule;
    const zf_value *d = &v[r->date_column], *val = &v[r->value_column];
    /* a reporting date (填报日期) is filed after the year it reports on: what was filed by
       the as-of date counts; an event date counts up to R */
    int32_t cut = e->defs->sources.sources[r->sel.source].columns[r->date_column].reporting_date ? e->run->as_of
                                                                                                : e->ref[y];
    if (!d->present || d->i > cut || !val->present)
        return ZF_OK;
    for (int pass = 0; pass < (region > 0 ? 2 : 1); pass++) {
        acc *a = &j->acc[y * j->n_regions + (pass ? (size_t)region : 0)];
        if (a->has_best && d->i < a->best_date)
            continue;           /* equal dates: the later record (file order) wins */
        a->has_best = true;
        a->best_date = (int32_t)d->i;
        a->best_file = o->file;
        a->best_line = o->line;
        if (r->value_kind == ZF_VALUE_WORD) {
            const zf_column *col = &e->defs->sources.sources[r->sel.source].columns[r->value_column];
            a->best_word = col->type == ZF_COL_ENUM ? col->vocab[val->i]
                                                    : zf_arena_strndup(&j->arena, val->s, val->len);
            if (!a->best_word)
                return ZF_ERR_NOMEM;
        } else {
            a->best_overflow = __builtin_mul_overflow(val->i, r->factor ? r->factor : 1, &a->best_value);
        }
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status feed_year(const zf_engine *e, const origin *o, job *j, role ro, const zf_value *v,
                                         size_t y)
{
    const zf_rule *r = j->rule;
    int region = record_region(j, v);
    if (ro == ROLE_DEN) {
        if (selected(&r->den_sel, v, e, y)) {
            rate_arg d = {0, 0, false, false};
            d.overflow = !sum_terms(&r->den_sum, v, &d.den);
            add(j, y, region, add_ratio_den, &d);
            if (traced(e, j, y, region))
                emit(e, o, j, ZF_TRACE_DENOMINATOR, r->den_sel.source, v, 0, trace_amount(d.den));
        }
        return ZF_OK;
    }
    if (r->kind == ZF_RULE_GROWTH) {
        rate_arg g = {0, 0, true, false};
        g.overflow = !sum_terms(&r->num_sum, v, &g.num) || !sum_terms(&r->den_sum, v, &g.den);
        if (!conds_match(r->sel.where, r->sel.n_where, v, e, y))
            return ZF_OK;
        const zf_value *yc = &v[r->sel.scope.column];
        bool cur = yc->present && yc->i == e->year[y];
        bool prev = yc->present && yc->i == e->year[y] - 1;
        if (cur || prev) {
            add(j, y, region, cur ? add_rate : add_growth_prev, &g);
            if (traced(e, j, y, region))
                emit(e, o, j, cur ? ZF_TRACE_BOTH : ZF_TRACE_PREVIOUS_YEAR, r->sel.source, v,
                     trace_amount(g.num), trace_amount(g.den));
        }
        return ZF_OK;
    }
    if (!selected(&r->sel, v, e, y))
        return ZF_OK;
    switch (r->kind) {
    case ZF_RULE_RATE:
    case ZF_RULE_RATIO:
    case ZF_RULE_SUM: {   /* a sum is a numerator alone: every selected record is in it */
        rate_arg a = {0, 0, true, false};
        a.overflow = !sum_terms(&r->num_sum, v, &a.num) || !sum_terms(&r->den_sum, v, &a.den);
        if (r->kind != ZF_RULE_RATE)
            a.den = 0;
        else
            a.in_num = conds_match(r->num_where, r->n_num_where, v, e, y);
        add(j, y, region, add_rate, &a);
        if (traced(e, j, y, region)) {
            zf_trace_role role = r->kind != ZF_RULE_RATE ? ZF_TRACE_NUMERATOR
                               : a.in_num ? ZF_TRACE_BOTH : ZF_TRACE_DENOMINATOR;
            emit(e, o, j, role, r->sel.source, v, a.in_num ? trace_amount(a.num) : 0, trace_amount(a.den));
        }
        return ZF_OK;
    }
    case ZF_RULE_COUNT:
        if (r->has_distinct)
            return feed_distinct(e, o, j, v, y, region);
        add(j, y, region, add_count, NULL);
        if (traced(e, j, y, region))
            emit(e, o, j, ZF_TRACE_NUMERATOR, r->sel.source, v, 1, 0);
        return ZF_OK;
    case ZF_RULE_LATEST:
        return feed_latest(e, o, j, v, y, region);
    case ZF_RULE_COVERAGE: {
        /* a town counts once, however many homes it has: later ones are evidence only */
        bool first = region > 0 && !j->acc[y * j->n_regions + (size_t)region].covered;
        add(j, y, region, add_cover, NULL);
        if (traced(e, j, y, region))
            emit(e, o, j, ZF_TRACE_NUMERATOR, r->sel.source, v, first, 0);
        return ZF_OK;
    }
    default:
        return ZF_ERR_INTERNAL;
    }
}

/* The years whose scope the record can be in: a dated record falls in one year's window,
 * so the per-year tests run once instead of once per year.  A superset is fine (feed_year
 * tests the whole selection again); GROWTH looks at two years per row and takes all. */
static uint32_t candidate_years(const zf_engine *e, const job *j, role ro, const zf_value *v)
{
    const zf_rule *r = j->rule;
    if (r->kind == ZF_RULE_GROWTH && ro != ROLE_DEN)
        return e->n_years >= 32 ? UINT32_MAX : (UINT32_C(1) << e->n_years) - 1;
    return scope_years(e, ro == ROLE_DEN ? &r->den_sel.scope : &r->sel.scope, v);
}

static ZF_MUST_CHECK zf_status feed_consumers(zf_engine *e, const consumer *cs, size_t n, const zf_value *values,
                                              const char *file, long line, bool *orphan, const job **failed)
{
    const origin o = {file, line};
    exists_memo memo;
    memo.n_done = memo.n_pending = 0;
    for (size_t c = 0; c < n; c++) {
        job *j = cs[c].job;
        const role ro = cs[c].role;
        zf_status st = ZF_OK;
        if (cs[c].how == FEED_SUBMITTED) {
            st = zf_subm_feed(j->subm, values, file, line);
        } else if (cs[c].how == FEED_JOIN) {
            st = zf_eng_feed_join(e, &o, j, ro, values, &memo, orphan);
        } else {
            for (uint32_t years = candidate_years(e, j, ro, values); years && st == ZF_OK; years &= years - 1)
                st = feed_year(e, &o, j, ro, values, (size_t)__builtin_ctz(years));
        }
#ifdef ZF_TESTING
        if (j == e->testing_fail)
            st = ZF_ERR_NOMEM;
#endif
        if (st != ZF_OK) {
            *failed = j;
            return st;
        }
    }
    zf_eng_settle_orphans(e, &memo, values, orphan);
    return ZF_OK;
}

/* A source with consumers that are not tallied, or a trace.  Apart from zf_eng_feed_tallies, so that
 * zf_engine_feed_at saves no registers for it. */
static __attribute__((noinline)) zf_status feed_slow(zf_engine *e, source_feed *f,
                                                     const zf_value *values, const char *file, long line,
                                                     bool *orphan)
{
    f->failed = NULL;
    if (e->trace)   /* every consumer through feed_year, which reports the traced records */
        return feed_consumers(e, f->all, f->n_all, values, file, line, orphan, &f->failed);
    zf_status st = feed_consumers(e, f->slow, f->n_slow, values, file, line, orphan, &f->failed);
    return st == ZF_OK && f->n_tallies ? zf_eng_feed_tallies(e, f, values) : st;
}

zf_status zf_engine_feed_at(zf_engine *e, size_t source, const zf_value *values, const char *file,
                            long line, bool *orphan)
{
    source_feed *f = &e->feeds[source];
    *orphan = false;
    if (e->trace || f->n_slow)
        return feed_slow(e, f, values, file, line, orphan);
    return f->n_tallies ? zf_eng_feed_tallies(e, f, values) : ZF_OK;
}

#ifdef ZF_TESTING
bool zf_engine_testing_fail(zf_engine *e, size_t indicator, size_t part)
{
    for (size_t i = 0; i < e->n_jobs; i++)
        if (e->jobs[i].indicator == indicator && e->jobs[i].part == part) {
            e->testing_fail = &e->jobs[i];
            return true;
        }
    return false;
}
#endif

const char *zf_engine_failure(const zf_engine *e, size_t source, zf_status st, char *buf, size_t size)
{
    const job *j = e->feeds[source].failed;
    const zf_plan *p = &e->defs->plan;
    const char *src = e->defs->sources.sources[source].id;
    if (!j) {
        snprintf(buf, size, "while tallying the records of %s: %s", src, zf_strerror(st));
    } else if (j->indicator != SIZE_MAX) {
        const zf_indicator *in = &p->indicators[j->indicator];
        const char *part = in->parts[j->part].name;
        snprintf(buf, size, "while computing indicator %d (%s%s%s, a %s rule) from %s: %s", in->number, in->name,
                 in->n_parts > 1 && part ? ": " : "", in->n_parts > 1 && part ? part : "",
                 zf_rule_kind_name(j->rule->kind), src, zf_strerror(st));
    } else {
        snprintf(buf, size, "while computing policy %s (operand %c, a %s rule) from %s: %s", p->policies[j->policy].id,
                 j->which ? 'b' : 'a', zf_rule_kind_name(j->rule->kind), src, zf_strerror(st));
    }
    return buf;
}

zf_status zf_engine_feed(zf_engine *e, size_t source, const zf_value *values, bool *orphan)
{
    return zf_engine_feed_at(e, source, values, e->origin_file, e->origin_line, orphan);
}

void zf_engine_set_origin(zf_engine *e, const char *file, long line)
{
    e->origin_file = file;
    e->origin_line = line;
}
