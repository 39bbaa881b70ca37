/* submissions.c — `zf-samplegen --plan P`: the aggregate submissions
 * (indicator_submissions.csv, other-plans.md) of the other plans, generated from the
 * plan definition itself: every region that reports an indicator (by its levels and
 * roll-up) gets a report per year near the published (or interpolated) target, filed as
 * regions file them: in January after the year (a year not yet reported by the as-of
 * date has no report).  Some reports are a provisional figure corrected a few days or
 * some months later, some "corrections" are dated after the as-of date (the data were
 * extracted later than the run: they must not count), and a few bad records are added,
 * each listed in the truth file.  Parents that report their own value report the aggregate of their
 * children, so a roll-up and an own report agree. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "zf_defs.h"

#define SRC "indicator_submissions"
#define FILE_NAME "indicator_submissions.csv"

typedef struct sub_out {
    FILE *f;
    long line;            /* physical line of the next record (header is line 1) */
    sg_gen *g;
    sg_rng rng;
    int64_t rows;
} sub_out;

/* One region's true numbers for one year. */
typedef struct truth {
    bool set;
    double num, den, val;
} truth;

static bool in_levels(const zf_indicator *in, int depth)
{
    return !in->levels || (in->levels & (1u << depth));
}

static bool has_child_in_levels(const zf_region_tree *t, const zf_indicator *in, size_t i)
{
    for (size_t k = i + 1; k < t->n_regions && t->regions[k].depth > t->regions[i].depth; k++)
        if (t->regions[k].parent == (int)i && in_levels(in, t->regions[k].depth))
            return true;
    return false;
}

static double frac_d(int64_t n, int64_t d) { return d ? (double)n / (double)d : 0.0; }

/* What the plan aims at in year index y: its target (published or interpolated), else the
 * nearest later one, else the nearest earlier one, else the baseline. */
static bool reference(const zf_plan *p, const zf_indicator *in, size_t y, double *out)
{
    const zf_target *t = &in->targets[y];
    for (size_t k = y; !(t->cell && !t->series && t->op != ZF_TARGET_WORD) && k + 1 < p->n_years;)
        t = &in->targets[++k];
    for (size_t k = y; !(t->cell && !t->series && t->op != ZF_TARGET_WORD) && k > 0;)
        t = &in->targets[--k];
    if (!(t->cell && !t->series && t->op != ZF_TARGET_WORD))
        t = in->baseline.cell ? &in->baseline : NULL;
    if (!t)
        return false;
    double lo = frac_d(t->num, t->den);
    *out = t->has_upper ? lo + (frac_d(t->upper_num, t->upper_den) - lo) / 4 : lo;
    return true;
}

static const char *unit_of(const zf_region_tree *t, const zf_indicator *in, size_t i, char *buf, size_t size)
{
    const char *n = t->regions[i].name;
    size_t len = strlen(n);
    if (i == 0)
        snprintf(buf, size, "%s", in->units[0]);
    else if (len >= 3 && (strcmp(n + len - 3, "镇") == 0 || strcmp(n + len - 3, "乡") == 0))
        snprintf(buf, size, "%s人民政府", n);
    else if (len >= 6 && strcmp(n + len - 6, "街道") == 0)
        snprintf(buf, size, "%s办事处", n);
    else
        snprintf(buf, size, "%s民政局", n);
    return buf;
}

static void put_num(FILE *f, double v, int places)
{
    if (places == 0)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.*f", places, v);
}

typedef struct row {
    const char *plan;
    int ind, year;
    const char *region, *unit;
    bool comp;
    double num, den, val;
    int num_places, den_places, val_places;
    int32_t date;
    const char *raw_date, *raw_num;   /* bad records: the text as written */
} row;

static void write_row(sub_out *o, const row *r)
{
    char d[16];
    int y, m, dd;
    sg_civil(r->date, &y, &m, &dd);
    snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
    fprintf(o->f, "%s,%d,%s,%d,", r->plan, r->ind, r->region, r->year);
    if (r->comp) {
        if (r->raw_num)
            fputs(r->raw_num, o->f);
        else
            put_num(o->f, r->num, r->num_places);
        fputc(',', o->f);
        put_num(o->f, r->den, r->den_places);
        fputs(",,", o->f);
    } else {
        fputs(",,", o->f);
        put_num(o->f, r->val, r->val_places);
        fputc(',', o->f);
    }
    fprintf(o->f, "%s,%s\n", r->unit, r->raw_date ? r->raw_date : d);
    o->line++;
    o->rows++;
}

/* A reference series (a standard without a target of its own) that a policy linkage rule
 * of the plan ties to another indicator already generated: its leaves are made from that
 * one's, region by region, so that the rule mostly holds and now and then does not (the
 * samples show both verdicts).  how: 1 a from b (a ≈ factor × b, capped), 2 b from a
 * (factor × b a little under a; also the reference of a series target, from the series it
 * is the target of), 3 the cap from b (near factor × b, above or below), 4 not_lower: this
 * series' own value of the year before, a little higher. */
typedef struct derive {
    int how;
    zf_policy_kind kind;
    double factor;
    const truth *other, *cap;   /* per region, this year */
} derive;

/* One leaf's value from the other operand, or false when that region has none. */
static bool derived_leaf(sub_out *o, const derive *dv, size_t i, truth *v)
{
    if (!dv || !dv->how || !dv->other[i].set)
        return false;
    double x = dv->other[i].val, f = dv->factor;
    double jitter = (double)sg_range(&o->rng, 0, 400) / 10000.0;   /* 0 .. 4% */
    bool miss = sg_chance(&o->rng, 0.005);   /* now and then: one region in a few runs */
    double val;
    if (dv->how == 1) {
        double line = f * x;
        if (dv->cap && dv->cap[i].set && dv->cap[i].val < line)
            line = dv->cap[i].val;
        double m = dv->kind == ZF_POLICY_RATIO_EQ ? 1.0 : dv->kind == ZF_POLICY_RATIO_LE ? 1.0 - jitter : 1.0 + jitter;
        if (miss)
            m = dv->kind == ZF_POLICY_RATIO_LE ? 1.03 : 0.97;
        /* to the cent, rounded the way that keeps the rule: up for ≥, down for ≤ */
        val = dv->kind == ZF_POLICY_RATIO_LE ? floor(line * m * 100.0) / 100.0
            : dv->kind == ZF_POLICY_RATIO_EQ && !miss ? round(line * 100.0) / 100.0 : ceil(line * m * 100.0) / 100.0;
        if (miss && dv->kind != ZF_POLICY_RATIO_LE)
            val = floor(line * m * 100.0) / 100.0;
    } else if (dv->how == 2) {
        double m = dv->kind == ZF_POLICY_RATIO_LE ? 1.0 + jitter : 1.0 - jitter;
        if (miss)
            m = dv->kind == ZF_POLICY_RATIO_LE ? 0.97 : 1.03;
        val = floor(x / f * m);
    } else if (dv->how == 3) {
        val = round(f * x * (0.95 + (double)sg_range(&o->rng, 0, 2000) / 10000.0));
    } else {
        val = round(x * (miss ? 0.98 : 1.0 + jitter));
    }
    *v = (truth){true, 0, 0, val};
    return true;
}

/* The leaves' numbers near the reference, the parents' as their children's aggregate. */
static void true_numbers(sub_out *o, const zf_defs *d, const zf_indicator *in, double ref, double prev_val,
                         truth *tv, size_t n_leaves, const derive *dv, const truth *floor)
{
    const zf_region_tree *t = &d->regions;
    const zf_rule *r = &in->parts[0].rule;
    const zf_submitted *s = r->submitted;
    bool exact = in->targets[0].has_upper && in->targets[0].num * in->targets[0].upper_den ==
                                                 in->targets[0].upper_num * in->targets[0].den;
    for (size_t i = t->n_regions; i-- > 0;) {
        truth *v = &tv[i];
        memset(v, 0, sizeof *v);
        if (!in_levels(in, t->regions[i].depth))
            continue;
        bool leaf = !has_child_in_levels(t, in, i) || s->rollup == ZF_ROLLUP_NONE;
        if (!leaf) {
            bool first = true;
            for (size_t k = i + 1; k < t->n_regions && t->regions[k].depth > t->regions[i].depth; k++) {
                const truth *c = &tv[k];
                if (t->regions[k].parent != (int)i || !c->set)
                    continue;
                double cv = s->components ? c->num / c->den : c->val, bv = s->components ? v->num / v->den : v->val;
                if (s->rollup == ZF_ROLLUP_SUM || first ||
                    (s->rollup == ZF_ROLLUP_MIN ? cv < bv : cv > bv)) {
                    if (s->rollup == ZF_ROLLUP_SUM && !first) {
                        v->num += c->num;
                        v->den += c->den;
                        v->val += c->val;
                    } else {
                        *v = *c;
                    }
                }
                first = false;
            }
            v->set = !first;
            continue;
        }
        if (derived_leaf(o, dv, i, v))
            continue;
        /* a leaf: mostly on track, now and then short of it */
        double m = exact ? 1.0 : 0.97 + (double)sg_range(&o->rng, 0, 900) / 10000.0;
        if (!exact && sg_chance(&o->rng, 0.08))
            m = 0.85;
        if (in->lower_is_better)
            m = 2.0 - m;
        double want = ref * m;
        v->set = true;
        if (s->growth) {
            v->val = ceil(prev_val * (1.0 + ref * m));
        } else if (s->components && r->value_kind == ZF_VALUE_RATE) {
            v->den = exact ? (double)sg_range(&o->rng, 2, 20) * 20 : (double)sg_range(&o->rng, 40, 400) * (ref < 0.05 ? 100 : 1);
            v->num = exact ? v->den * ref : round(want * v->den);
            if (ref <= 1.0 && v->num > v->den)
                v->num = v->den;
        } else if (s->components && r->factor != 1) {
            v->den = (double)sg_range(&o->rng, 20000, 90000);
            v->num = round(want * v->den / (double)r->factor);
        } else if (s->components) {
            v->den = (double)sg_range(&o->rng, 20, 400);
            v->num = round(want * v->den * 100.0) / 100.0;
        } else if (r->value_kind == ZF_VALUE_COUNT && s->rollup == ZF_ROLLUP_SUM) {
            v->val = round(want / (double)(n_leaves ? n_leaves : 1));
        } else {
            v->val = round(want);
        }
        /* a standard the plan says never goes down (not_lower) keeps last year's value at
           least, bar a rare slip */
        if (floor && floor[i].set && !s->components && v->val < floor[i].val && !sg_chance(&o->rng, 0.005))
            v->val = floor[i].val;
    }
}

/* The day a region files its report for year: in January after it. */
static int32_t filed(int year) { return sg_days(year + 1, 1, 15); }

static bool reports_own(const zf_defs *d, const zf_indicator *in, size_t i)
{
    const zf_region_tree *t = &d->regions;
    const zf_submitted *s = in->parts[0].rule.submitted;
    if (!in_levels(in, t->regions[i].depth))
        return false;
    if (s->rollup == ZF_ROLLUP_NONE || !has_child_in_levels(t, in, i))
        return true;
    /* a parent: the top region is always rolled up; others report now and then */
    return i != 0 && (sg_hash((uint64_t)in->number, i) & 1) == 0;
}

static bool never_lower(const zf_plan *p, int number)
{
    for (size_t k = 0; k < p->n_policies; k++)
        if (p->policies[k].kind == ZF_POLICY_NOT_LOWER && p->policies[k].a_indicator == number)
            return true;
    return false;
}

/* Index of the indicator numbered n when it comes before `before` in the plan and is a
 * submitted 数值 report (its truths are values), else -1. */
static int earlier_value(const zf_plan *p, int n, size_t before)
{
    for (size_t k = 0; k < before; k++) {
        const zf_rule *r = &p->indicators[k].parts[0].rule;
        if (p->indicators[k].number == n && n)
            return r->kind == ZF_RULE_SUBMITTED && !r->submitted->components && !r->submitted->growth ? (int)k : -1;
    }
    return -1;
}

/* The first policy that ties indicator ii (a 数值 series without a target) to one already
 * generated; its operands are indexes into the plan's indicators. */
static int relation(const zf_plan *p, size_t ii, zf_policy_kind *kind, double *factor, int *other, int *cap)
{
    const zf_indicator *in = &p->indicators[ii];
    const zf_rule *r = &in->parts[0].rule;
    if (r->submitted->components || r->submitted->growth || in->has_series)
        return 0;
    for (size_t y = 0; y < p->n_years; y++)
        if (in->targets[y].cell)
            return 0;
    for (size_t k = 0; k < p->n_indicators; k++) {   /* the reference of a series target */
        const zf_indicator *sk = &p->indicators[k];
        if (!sk->has_series || sk->series.indicator != in->number)
            continue;
        const zf_submitted *ss = sk->parts[0].rule.kind == ZF_RULE_SUBMITTED ? sk->parts[0].rule.submitted : NULL;
        int from = ss && ss->indicator ? ss->indicator : sk->number;
        if ((*other = earlier_value(p, from, ii)) < 0)
            continue;
        *cap = -1;
        *kind = sk->series.op == ZF_TARGET_LE || sk->series.op == ZF_TARGET_LT ? ZF_POLICY_RATIO_LE : ZF_POLICY_RATIO_GE;
        *factor = frac_d(sk->series.factor_num, sk->series.factor_den);
        return 2;
    }
    for (size_t k = 0; k < p->n_policies; k++)   /* only increases: from last year */
        if (p->policies[k].kind == ZF_POLICY_NOT_LOWER && p->policies[k].a_indicator == in->number) {
            *other = (int)ii;
            *cap = -1;
            *kind = ZF_POLICY_NOT_LOWER;
            *factor = 1.0;
            return 4;
        }
    for (int how = 1; how <= 3; how++)
        for (size_t k = 0; k < p->n_policies; k++) {
            const zf_policy_rule *pr = &p->policies[k];
            if (pr->kind == ZF_POLICY_NOT_LOWER || pr->kind == ZF_POLICY_GROWTH_GE)
                continue;
            int mine = how == 1 ? pr->a_indicator : how == 2 ? pr->b_indicator : pr->cap_indicator;
            int from = how == 2 ? pr->a_indicator : pr->b_indicator;
            if (mine != in->number || (*other = earlier_value(p, from, ii)) < 0)
                continue;
            *cap = how == 1 && pr->has_cap ? earlier_value(p, pr->cap_indicator, ii) : -1;
            *kind = pr->kind;
            *factor = frac_d(pr->factor_num, pr->factor_den);
            return how;
        }
    return 0;
}

static zf_status one_plan(sub_out *o, const char *templates, const char *plan_id, zf_error *err)
{
    zf_defs *d = NULL;
    zf_status st = zf_defs_load(&d, templates, plan_id, err);
    if (st)
        return st;
    const zf_plan *p = &d->plan;
    const zf_region_tree *t = &d->regions;
    truth *tv = calloc(t->n_regions, sizeof *tv);
    /* every indicator's truths of every year (from the year before the plan), kept for the
       series that policies derive from them */
    size_t span = p->n_years + 1;
    truth *kept = calloc(p->n_indicators * span * t->n_regions, sizeof *kept);
    if (!tv || !kept) {
        free(tv);
        free(kept);
        zf_defs_free(d);
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    int last = p->years[p->n_years - 1];
    if (last > o->g->asof_year)
        last = o->g->asof_year;
    long first_line = o->line;
    for (size_t ii = 0; ii < p->n_indicators; ii++) {
        const zf_indicator *in = &p->indicators[ii];
        const zf_rule *r = &in->parts[0].rule;
        if (r->kind != ZF_RULE_SUBMITTED)
            continue;
        const zf_submitted *s = r->submitted;
        if (s->indicator && s->indicator != in->number)
            continue;   /* it reads another indicator's reports (Chun'an 14 reads 1's) */
        size_t n_leaves = 0;
        for (size_t i = 0; i < t->n_regions; i++)
            n_leaves += in_levels(in, t->regions[i].depth) && !has_child_in_levels(t, in, i);
        double prev = 800.0;   /* growth: the standard (元/月) of the year before the plan */
        for (int year = p->years[0] - (s->growth ? 1 : 0); year <= last; year++) {
            size_t y = year < p->years[0] ? 0 : (size_t)(year - p->years[0]);
            double ref = 0;
            if (!reference(p, in, y, &ref))
                ref = r->value_kind == ZF_VALUE_RATE ? 0.8 : 600.0;   /* a reference series */
            if (in->has_series)
                ref = 600.0 * 1.04;
            size_t slot = (size_t)(year - (p->years[0] - 1));
            derive dv = {0, ZF_POLICY_RATIO_GE, 1.0, NULL, NULL};
            int other = -1, cap = -1;
            dv.how = relation(p, ii, &dv.kind, &dv.factor, &other, &cap);
            if (dv.how == 4 && slot == 0)
                dv.how = 0;   /* no year before: as any series */
            if (dv.how) {
                dv.other = &kept[((size_t)other * span + slot - (dv.how == 4)) * t->n_regions];
                dv.cap = cap >= 0 ? &kept[((size_t)cap * span + slot) * t->n_regions] : NULL;
            }
            if (s->growth && year < p->years[0]) {
                memset(tv, 0, t->n_regions * sizeof *tv);
                tv[0] = (truth){true, 0, 0, prev};
            } else {
                true_numbers(o, d, in, ref, prev, tv, n_leaves, dv.how ? &dv : NULL,
                             slot > 0 && never_lower(p, in->number) ? &kept[(ii * span + slot - 1) * t->n_regions]
                                                                    : NULL);
            }
            memcpy(&kept[(ii * span + slot) * t->n_regions], tv, t->n_regions * sizeof *tv);
            prev = tv[0].val;
            /* a year's figures are filed in January after it; before that there are none */
            int32_t day = filed(year);
            if (day > o->g->asof)
                continue;
            for (size_t i = 0; i < t->n_regions; i++) {
                if (!tv[i].set || !reports_own(d, in, i))
                    continue;
                char unit[128];
                row w = {p->id, in->number, year, t->regions[i].name, unit_of(t, in, i, unit, sizeof unit),
                         s->components, tv[i].num, tv[i].den, tv[i].val,
                         r->value_kind == ZF_VALUE_RATE || r->factor != 1 ? 0 : 2,
                         0, 0, day, NULL, NULL};
                /* now and then a provisional first report that a later 填报日期 corrects: ten
                   days later in January, or months later (spring) when the run knows it */
                if (sg_chance(&o->rng, 0.12)) {
                    row early = w;
                    early.date = day - 10;
                    early.num = s->components ? round(w.num * 0.9 * 100) / 100 : w.num;
                    early.val = s->components ? w.val : round(w.val * 0.9);
                    write_row(o, &early);
                }
                int32_t spring = sg_days(year + 1, 4, 20);
                if (sg_chance(&o->rng, 0.06) && spring <= o->g->asof) {
                    row provisional = w;
                    provisional.num = s->components ? round(w.num * 0.95 * 100) / 100 : w.num;
                    provisional.val = s->components ? w.val : round(w.val * 0.95);
                    write_row(o, &provisional);
                    w.date = spring;
                }
                write_row(o, &w);
                /* and a "correction" dated after the as-of date: not known at the run */
                if (sg_chance(&o->rng, 0.05)) {
                    row late = w;
                    late.date = o->g->asof + 20;
                    late.num = s->components ? round(w.num * 0.5 * 100) / 100 : w.num;
                    late.val = s->components ? w.val : round(w.val * 0.5);
                    write_row(o, &late);
                }
            }
        }
    }
    /* a few bad records, each after a good one: they change nothing if rejected */
    static const struct { const char *column, *reason; } bad[] = {
        {"地区", "unknown_region"}, {"填报日期", "bad_date"}, {"分子", "bad_decimal"},
        {"填报单位", "missing_required"}, {"计划", "duplicate_key"}};   /* a key is reported at its first column */
    const zf_indicator *in = NULL;
    for (size_t ii = 0; ii < p->n_indicators && !in; ii++)
        if (p->indicators[ii].parts[0].rule.kind == ZF_RULE_SUBMITTED && p->indicators[ii].parts[0].rule.submitted->components)
            in = &p->indicators[ii];
    for (size_t b = 0; in && b < sizeof bad / sizeof bad[0] && o->line > first_line; b++) {
        row w = {p->id, in->number, p->years[0], t->regions[t->n_regions - 1].name, "数据科", true,
                 12, 40, 0, 0, 0, 0, filed(p->years[0]), NULL, NULL};
        if (b == 0)
            w.region = "未知地区";
        else if (b == 1)
            w.raw_date = "2023-02-30";
        else if (b == 2)
            w.raw_num = "12.3.4";
        else if (b == 3)
            w.unit = "";
        else {
            /* the same key as the top region's first report: the first one is kept */
            w.region = t->regions[0].name;
            w.date = filed(p->years[0]);
            if (w.date > o->g->asof)
                break;   /* the first year is not reported yet: no key to repeat */
            bool own = false;
            for (size_t ii = 0; ii < p->n_indicators && !own; ii++) {
                const zf_indicator *k = &p->indicators[ii];
                if (k->parts[0].rule.kind == ZF_RULE_SUBMITTED && reports_own(d, k, 0) &&
                    !k->parts[0].rule.submitted->growth) {
                    w.ind = k->number;
                    w.comp = k->parts[0].rule.submitted->components;
                    w.val = 1;
                    own = true;
                }
            }
            if (!own)
                break;
        }
        if ((st = sg_list_add(&o->g->truth, SRC, FILE_NAME, o->line, bad[b].column, bad[b].reason, NULL)))
            break;
        write_row(o, &w);
    }
    free(tv);
    free(kept);
    zf_defs_free(d);
    return st ? zf_error_set(err, st, NULL, 0, 0, "out of memory") : ZF_OK;
}

zf_status sg_submissions(sg_gen *g, const char *templates, const char *const *plans, size_t n, zf_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g->dir, FILE_NAME);
    sub_out o = {.line = 2, .g = g};
    sg_rng_seed(&o.rng, g->seed, "submissions");
    if (!(o.f = fopen(path, "w")))
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    fputs("计划,指标编号,地区,年度,分子,分母,数值,填报单位,填报日期\n", o.f);
    zf_status st = ZF_OK;
    for (size_t i = 0; i < n && !st; i++)
        st = one_plan(&o, templates, plans[i], err);
    if (fclose(o.f) != 0 && !st)
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "write failed: %s", strerror(errno));
    g->rows_total += o.rows;
    return st;
}
