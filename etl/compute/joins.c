/* joins.c — compute: joins (a RATE with `exists`).  Owns the registers (join_reg): which
 * jobs share one (zf_eng_join_register), putting the register rows (feed_register), the
 * lookups of the joined records with the orphan checks (exists_memo), the ring of hits
 * marked a few records later (queue_hit, mark_oldest), and at the end turning each key's
 * years in the population and hit into the job's groups (zf_eng_settle_join). */

#include "engine_internal.h"

static bool same_register(const zf_rule *a, const zf_rule *b)
{
    return a->sel.source == b->sel.source && a->key_column == b->key_column &&
           a->exists.source == b->exists.source && a->exists_key == b->exists_key;
}

/* Whether the record's key is missing from j's register; *out (when not NULL) gets the key
 * as packed for the lookup, so that a queued hit does not pack it again. */
static bool register_absent(exists_memo *m, const job *j, const zf_value *v, reg_key *out)
{
    for (size_t k = 0; k < m->n_done; k++)
        if (same_register(m->done[k]->rule, j->rule)) {
            if (out)
                *out = m->key[k];
            return m->absent[k];
        }
    const zf_value *key = &v[j->rule->exists_key];
    reg_key rk = {0, false};
    rk.packed = zf_key_pack(key->s, key->len, &rk.code);
    const bool absent = rk.packed ? !zf_keyset_has_code(&j->reg->present, rk.code)
                                  : !zf_keyset_has(&j->reg->present, key->s, key->len);
    if (m->n_done < MEMO_MAX) {
        m->done[m->n_done] = j;
        m->key[m->n_done] = rk;
        m->absent[m->n_done++] = absent;
    }
    if (out)
        *out = rk;
    return absent;
}

/* The deferred orphan checks of the record (exists_memo). */
void zf_eng_settle_orphans(const zf_engine *e, exists_memo *m, const zf_value *v, bool *orphan)
{
    for (size_t k = 0; k < m->n_pending && !*orphan; k++)
        *orphan |= register_absent(m, m->pending[k], v, NULL) &&
                   e->state[m->pending[k]->rule->sel.source] == ZF_SOURCE_OK;
}

static void mark_hit(join_reg *g, uint64_t code, uint32_t index, uint32_t hit)
{
    join_entry *je = zf_keymap_get_code(&g->keys, code);
    je->hit[index] |= hit;
}

/* Marks the oldest queued hit of g. */
static void mark_oldest(join_reg *g)
{
    const queued_hit *q = &g->queue[(g->next + HITS_QUEUED - g->n_queued--) % HITS_QUEUED];
    mark_hit(g, q->code, q->index, q->hit);
}

void zf_eng_mark_queued(join_reg *g)
{
    while (g->n_queued)
        mark_oldest(g);
}

/* Years hit for job j by a record whose key is in the register: marked now for a key that
 * does not pack (kept as text), queued with its slot prefetched for the others. */
static void queue_hit(join_reg *g, const job *j, const zf_value *key, reg_key rk, uint32_t hit)
{
    if (!rk.packed) {
        join_entry *je = zf_keymap_get(&g->keys, key->s, key->len);
        je->hit[j->hit_index] |= hit;
        return;
    }
    if (g->n_queued == HITS_QUEUED)
        mark_oldest(g);
    zf_keymap_prefetch(&g->keys, rk.code);
    g->queue[g->next] = (queued_hit){rk.code, hit, (uint32_t)j->hit_index};
    g->next = (g->next + 1) % HITS_QUEUED;
    g->n_queued++;
}

static ZF_MUST_CHECK zf_status feed_exists(const zf_engine *e, job *j, const zf_value *v, exists_memo *m, bool *orphan)
{
    const zf_rule *r = j->rule;
    /* without a complete register nothing can be called an orphan */
    const bool can_orphan = e->state[r->sel.source] == ZF_SOURCE_OK;
    uint32_t hit = 0;
    for (size_t y = 0; y < e->n_years; y++)
        if (selected(&r->exists, v, e, y))
            hit |= 1u << y;
    if (!hit) {
        if (!can_orphan || *orphan)
            return ZF_OK;
        if (m->n_pending < MEMO_MAX) {
            m->pending[m->n_pending++] = j;
            return ZF_OK;
        }
        *orphan |= register_absent(m, j, v, NULL);
        return ZF_OK;
    }
    reg_key rk;
    if (register_absent(m, j, v, &rk)) {
        *orphan |= can_orphan;
        return ZF_OK;
    }
    queue_hit(j->reg, j, &v[r->exists_key], rk, hit);
    return ZF_OK;
}

/* The first register row of each key of a traced join, for its trace. */
static ZF_MUST_CHECK zf_status keep_origin(join_reg *g, const origin *o, const zf_value *key)
{
    bool added;
    uint32_t *index = zf_keymap_put(&g->origin_of, key->s, key->len, &added);
    if (!index)
        return ZF_ERR_NOMEM;
    if (!added)
        return ZF_OK;
    origin *grown = realloc(g->origins, (g->n_origins + 1) * sizeof *grown);
    if (!grown)
        return ZF_ERR_NOMEM;
    g->origins = grown;
    g->origins[g->n_origins++] = *o;
    *index = (uint32_t)g->n_origins;
    return ZF_OK;
}

/* A register row, put once for all the jobs of its join_reg (by the first of them: the
 * others have the same population and region). */
static ZF_MUST_CHECK zf_status feed_register(const zf_engine *e, const origin *o, job *j, const zf_value *v)
{
    join_reg *g = j->reg;
    const zf_value *key = &v[j->rule->key_column];
    if (g->owner != j)
        return ZF_OK;
    if (e->trace && e->trace_job && e->trace_job->reg == g) {
        zf_status st = keep_origin(g, o, key);
        if (st != ZF_OK)
            return st;
    }
    bool added;   /* the set and the map hold the same keys: either tells a new one */
    if (zf_keyset_add(&g->present, key->s, key->len, &added) != ZF_OK)
        return ZF_ERR_NOMEM;
    join_entry *je = zf_keymap_put(&g->keys, key->s, key->len, &added);
    if (!je)
        return ZF_ERR_NOMEM;
    if (added)
        je->region = record_region(j, v);
    for (size_t y = 0; y < e->n_years; y++)
        if (selected(&j->rule->sel, v, e, y))
            je->pop |= 1u << y;
    return ZF_OK;
}

zf_status zf_eng_feed_join(const zf_engine *e, const origin *o, job *j, role ro, const zf_value *v,
                           exists_memo *m, bool *orphan)
{
    const zf_rule *r = j->rule;
    const zf_value *key = &v[ro == ROLE_POP ? r->key_column : r->exists_key];
    if (!key->present)
        return ZF_OK;
    return ro == ROLE_EXISTS ? feed_exists(e, j, v, m, orphan) : feed_register(e, o, j, v);
}

static bool same_selection(const zf_selection *a, const zf_selection *b)
{
    if (a->source != b->source || a->scope.kind != b->scope.kind || a->scope.column != b->scope.column ||
        a->scope.end_column != b->scope.end_column || a->n_where != b->n_where)
        return false;
    for (size_t i = 0; i < a->n_where; i++)
        if (!zf_eng_same_cond(&a->where[i], &b->where[i]))
            return false;
    return true;
}

/* Whether the register rows of rules a and b make the same join entries (join_reg). */
static bool same_population(const zf_rule *a, const zf_rule *b)
{
    return a->key_column == b->key_column && same_selection(&a->sel, &b->sel) &&
           a->by_region == b->by_region && (!a->by_region || a->region_column == b->region_column);
}

/* Job j into the join_reg of its population, new or shared (keys made in zf_eng_make_registers). */
void zf_eng_join_register(zf_engine *e, job *j)
{
    join_reg *g = e->regs;
    while (g < e->regs + e->n_regs && !(g->n_jobs < REG_JOBS_MAX && same_population(g->owner->rule, j->rule)))
        g++;
    if (g == e->regs + e->n_regs) {
        e->n_regs++;
        g->owner = j;
    }
    j->reg = g;
    j->hit_index = g->n_jobs++;
}

zf_status zf_eng_make_registers(zf_engine *e)
{
    for (size_t i = 0; i < e->n_regs; i++) {
        join_reg *g = &e->regs[i];
        if (zf_keymap_init(&g->keys, sizeof(join_entry) + g->n_jobs * sizeof(uint32_t)) != ZF_OK ||
            zf_keyset_init(&g->present) != ZF_OK || zf_keymap_init(&g->origin_of, sizeof(uint32_t)) != ZF_OK)
            return ZF_ERR_NOMEM;
    }
    return ZF_OK;
}

/* Join registers are turned into groups only at the end, once every year's
 * population and hits are known. */
void zf_eng_settle_join(zf_engine *e, job *j)
{
    size_t pos = 0, key_len;
    const char *key;
    char buf[32];
    void *value;
    const join_reg *g = j->reg;
    while (zf_keymap_next(&g->keys, &pos, &key, &key_len, buf, &value)) {
        const join_entry *je = value;
        const uint32_t hit = je->hit[j->hit_index];
        for (size_t y = 0; y < e->n_years; y++) {
            if (!(je->pop & (1u << y)))
                continue;
            rate_arg a = {1, 1, (hit & (1u << y)) != 0, false};
            add(j, y, je->region, add_rate, &a);
            if (traced(e, j, y, je->region)) {
                const uint32_t *index = zf_keymap_get(&g->origin_of, key, key_len);
                const origin none = {NULL, 0}, *o = index ? &g->origins[*index - 1] : &none;
                zf_trace_row row = {a.in_num ? ZF_TRACE_BOTH : ZF_TRACE_DENOMINATOR, j->rule->sel.source,
                                    o->file, o->line, NULL, key, key_len, a.in_num, 1, 0, 0};
                e->trace(e->trace_ctx, &row);
            }
        }
    }
}
