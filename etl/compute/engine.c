/* engine.c — compute: building the engine from the plan and the run (etl/compute/
 * engine_internal.h has the glossary).  Owns the jobs (one per indicator part and policy
 * operand), the consumers of each source and how each is fed (tallied plain, join, by
 * year, submitted), the table of days by year, freeing, the order and groups in which
 * sources are fed, and choosing the value to trace.  Feeding records is feeding.c; the
 * joins' registers joins.c; the tallies of plains tallies.c; the result rows results.c. */

#include "engine_internal.h"

/* ---- building ----------------------------------------------------------- */

/* Whether a condition gives the same answer in every year. */
static bool year_free(const zf_cond *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].op != ZF_OP_IN && c[i].op != ZF_OP_NOT_IN && c[i].op != ZF_OP_EQ_NUM &&
            c[i].op != ZF_OP_GT_NUM)
            return false;
    return true;
}

static bool plain_signs(const zf_sum *s)
{
    for (size_t i = 0; i < s->n_terms; i++)
        if (s->signs[i] != 1 && s->signs[i] != -1)
            return false;
    return true;
}

/* A consumer that can be tallied as a plain (source_feed). */
static bool is_plain_rate(const zf_rule *r, role ro)
{
    return ro == ROLE_POP && r->kind == ZF_RULE_RATE && !r->has_exists &&
           (r->sel.scope.kind == ZF_SCOPE_IN_YEAR || r->sel.scope.kind == ZF_SCOPE_YEAR_COL) &&
           year_free(r->sel.where, r->sel.n_where) && year_free(r->num_where, r->n_num_where) &&
           plain_signs(&r->num_sum) && plain_signs(&r->den_sum);
}

static ZF_MUST_CHECK zf_status add_consumer(zf_engine *e, size_t source, size_t job_index, role ro)
{
    source_feed *f = &e->feeds[source];
    consumer *c = realloc(f->all, (f->n_all + 1) * sizeof *c);
    if (!c)
        return ZF_ERR_NOMEM;
    job *j = &e->jobs[job_index];   /* e->jobs is allocated once: the pointer stays valid */
    const feed_how how = j->subm ? FEED_SUBMITTED : j->rule->has_exists ? FEED_JOIN
                       : is_plain_rate(j->rule, ro) ? FEED_PLAIN : FEED_BY_YEAR;
    c[f->n_all++] = (consumer){j, ro, how};
    f->all = c;
    return ZF_OK;
}


static ZF_MUST_CHECK zf_status add_job(zf_engine *e, const zf_rule *rule, size_t indicator, size_t part,
                                       size_t policy, int which)
{
    job *j = &e->jobs[e->n_jobs];
    memset(j, 0, sizeof *j);
    j->rule = rule;
    j->indicator = indicator;
    j->part = part;
    j->policy = policy;
    j->which = which;
    j->n_regions = rule->by_region ? e->defs->regions.n_regions : 1;
    zf_arena_init(&j->arena, 4096);
    j->acc = zf_arena_calloc(&e->arena, e->n_years * j->n_regions, sizeof *j->acc);
    if (!j->acc)
        return ZF_ERR_NOMEM;
    if (rule->kind == ZF_RULE_SUBMITTED && zf_subm_new(&j->subm, e->defs, rule, e->run->as_of) != ZF_OK)
        return ZF_ERR_NOMEM;   /* other plans */
    if (rule->has_exists)
        zf_eng_join_register(e, j);
    if (rule->kind == ZF_RULE_COUNT && rule->has_distinct && !rule->has_exists) {
        if (zf_keymap_init(&j->keys, sizeof(uint32_t)) != ZF_OK)
            return ZF_ERR_NOMEM;
        j->has_keys = true;
    }
    size_t index = e->n_jobs++;
    zf_status st = add_consumer(e, rule->sel.source, index, ROLE_POP);
    if (st == ZF_OK && rule->kind == ZF_RULE_RATIO)
        st = add_consumer(e, rule->den_sel.source, index, ROLE_DEN);
    if (st == ZF_OK && rule->has_exists)
        st = add_consumer(e, rule->exists.source, index, ROLE_EXISTS);
    return st;
}

static ZF_MUST_CHECK zf_status add_jobs(zf_engine *e)
{
    const zf_plan *p = &e->defs->plan;
    size_t n = 0;
    for (size_t i = 0; i < p->n_indicators; i++)
        n += p->indicators[i].n_parts;
    n += 3 * p->n_policies;   /* a, b and a cap */
    e->jobs = calloc(n ? n : 1, sizeof *e->jobs);
    e->regs = calloc(n ? n : 1, sizeof *e->regs);
    if (!e->jobs || !e->regs)
        return ZF_ERR_NOMEM;
    zf_status st = ZF_OK;
    for (size_t i = 0; i < p->n_indicators && st == ZF_OK; i++)
        for (size_t k = 0; k < p->indicators[i].n_parts && st == ZF_OK; k++)
            st = add_job(e, &p->indicators[i].parts[k].rule, i, k, SIZE_MAX, 0);
    for (size_t i = 0; i < p->n_policies && st == ZF_OK; i++) {
        const zf_policy_rule *pr = &p->policies[i];
        if (pr->kind == ZF_POLICY_NOT_LOWER)
            continue;
        if (!pr->a_indicator)
            st = add_job(e, &pr->a_rule, SIZE_MAX, 0, i, 0);
        if (st == ZF_OK && !pr->b_indicator)
            st = add_job(e, &pr->b_rule, SIZE_MAX, 0, i, 1);
        if (st == ZF_OK && pr->has_cap && !pr->cap_indicator)
            st = add_job(e, &pr->cap_rule, SIZE_MAX, 0, i, 2);
    }
    return st == ZF_OK ? zf_eng_make_registers(e) : st;
}

/* The in-year windows as a table by day, so that a dated record finds its year with one
 * load (a few thousand days: the windows of the run's years). */
static ZF_MUST_CHECK zf_status index_days(zf_engine *e)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t y = 0; y < e->n_years; y++)
        if (e->start[y] <= e->ref[y]) {
            lo = e->start[y] < lo ? e->start[y] : lo;
            hi = e->ref[y] > hi ? e->ref[y] : hi;
        }
    if (lo > hi)
        return ZF_OK;   /* no window has a day: nothing is in any year */
    e->day0 = lo;
    e->n_days = (size_t)(hi - lo) + 1;
    if (!(e->in_year = calloc(e->n_days, sizeof *e->in_year)))
        return ZF_ERR_NOMEM;
    for (size_t y = 0; y < e->n_years; y++)
        for (int32_t d = e->start[y]; d <= e->ref[y]; d++)
            e->in_year[d - lo] |= UINT32_C(1) << y;
    return ZF_OK;
}

zf_status zf_engine_new(zf_engine **out, zf_run *run, zf_error *err)
{
    *out = NULL;
    if (run->n_years > ZF_MAX_YEARS)
        return zf_error_set(err, ZF_ERR_USAGE, NULL, 0, 0, "at most %d years in one run", ZF_MAX_YEARS);
    zf_engine *e = calloc(1, sizeof *e);
    if (!e)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    zf_arena_init(&e->arena, 64 * 1024);
    e->run = run;
    e->defs = run->defs;
    e->n_years = run->n_years;
    for (size_t y = 0; y < run->n_years; y++) {
        e->year[y] = e->defs->plan.years[run->years[y]];
        e->start[y] = zf_days_from_civil(e->year[y], 1, 1);
        e->plan_start = zf_days_from_civil(run->defs->plan.years[0], 1, 1);
        e->ref[y] = zf_run_reference(run, run->years[y]);
    }
    size_t ns = e->defs->sources.n_sources;
    if (index_days(e) != ZF_OK) {
        zf_engine_free(e);
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    e->feeds = calloc(ns, sizeof *e->feeds);
    e->state = calloc(ns, sizeof *e->state);
    zf_status st = (e->feeds && e->state) ? add_jobs(e) : ZF_ERR_NOMEM;
    for (size_t s = 0; s < ns && st == ZF_OK; s++)
        st = zf_eng_compile_feed(e, &e->feeds[s]);
    if (st != ZF_OK) {
        zf_engine_free(e);
        return zf_error_set(err, st, NULL, 0, 0, "cannot set up the computation: %s", zf_strerror(st));
    }
    *out = e;
    return ZF_OK;
}

void zf_engine_free(zf_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_jobs; i++) {
        if (e->jobs[i].has_keys)
            zf_keymap_free(&e->jobs[i].keys);
        zf_arena_free(&e->jobs[i].arena);
        zf_subm_free(e->jobs[i].subm);
    }
    free(e->jobs);
    for (size_t i = 0; e->regs && i < e->n_regs; i++) {
        if (e->regs[i].keys.slots)
            zf_keymap_free(&e->regs[i].keys);
        if (e->regs[i].present.slots)
            zf_keyset_free(&e->regs[i].present);
        if (e->regs[i].origin_of.slots)
            zf_keymap_free(&e->regs[i].origin_of);
        free(e->regs[i].origins);
    }
    free(e->regs);
    if (e->feeds)
        for (size_t s = 0; s < e->defs->sources.n_sources; s++) {
            free(e->feeds[s].all);
            for (size_t k = 0; e->feeds[s].tallies && k < e->feeds[s].n_tallies; k++)
                free(e->feeds[s].tallies[k].carries);
        }
    free(e->feeds);
    free(e->state);
    free(e->in_year);
    zf_arena_free(&e->arena);
    free(e);
}

bool zf_engine_uses(const zf_engine *e, size_t source)
{
    return e->feeds[source].n_all > 0;
}

void zf_engine_source_order(const zf_engine *e, size_t *order)
{
    size_t ns = e->defs->sources.n_sources, n = 0;
    bool *placed = calloc(ns, sizeof *placed);
    /* registers of joins first; without memory for the marks, plain order still works
       except for orphan detection, so fall back to it */
    if (placed) {
        for (size_t i = 0; i < e->n_jobs; i++) {
            size_t s = e->jobs[i].rule->sel.source;
            if (e->jobs[i].rule->has_exists && !placed[s]) {
                placed[s] = true;
                order[n++] = s;
            }
        }
    }
    for (size_t s = 0; s < ns; s++)
        if (!placed || !placed[s])
            order[n++] = s;
    free(placed);
}

bool zf_engine_source_groups(const zf_engine *e, size_t *group)
{
    size_t ns = e->defs->sources.n_sources;
    for (size_t s = 0; s < ns; s++)
        group[s] = s;
    /* union of the sources of each job, always towards the smaller index, to a fixed point */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < e->n_jobs; i++) {
            const zf_rule *r = e->jobs[i].rule;
            size_t src[3] = {r->sel.source, r->kind == ZF_RULE_RATIO ? r->den_sel.source : r->sel.source,
                             r->has_exists ? r->exists.source : r->sel.source};
            size_t g[3] = {group[src[0]], group[src[1]], group[src[2]]};
            size_t low = g[0] < g[1] ? g[0] : g[1];
            low = g[2] < low ? g[2] : low;
            for (size_t s = 0; s < ns; s++) {
                if (group[s] != low && (group[s] == g[0] || group[s] == g[1] || group[s] == g[2])) {
                    group[s] = low;
                    changed = true;
                }
            }
        }
    }
    return e->trace == NULL;
}

void zf_engine_set_state(zf_engine *e, size_t source, zf_source_state state)
{
    if (state > e->state[source])
        e->state[source] = state;
}

zf_status zf_engine_trace(zf_engine *e, size_t ind, size_t part, size_t year, int region,
                          zf_trace_fn fn, void *ctx)
{
    e->trace_job = NULL;
    for (size_t i = 0; i < e->n_jobs; i++)
        if (e->jobs[i].indicator == ind && e->jobs[i].part == part)
            e->trace_job = &e->jobs[i];
    size_t y = 0;
    while (y < e->n_years && e->run->years[y] != year)
        y++;
    if (!e->trace_job || y == e->n_years)
        return ZF_ERR_NOT_FOUND;
    e->trace_year = y;
    e->trace_region = region;
    e->trace_ctx = ctx;
    e->trace = fn;
    return ZF_OK;
}
