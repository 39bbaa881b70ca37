#include "zf_engine.h"

#include <stdlib.h>
#include <string.h>

#include "zf_keyset.h"
#include "zf_submissions.h"   /* other plans: submitted rules */

#define ZF_MAX_YEARS 32   /* year sets are kept as bit masks */

typedef enum role { ROLE_POP, ROLE_DEN, ROLE_EXISTS } role;

/* One group: an indicator part (or a policy operand) in one year and one region. */
typedef struct acc {
    /* The sums are kept in 128 bits, so that they are exact in any order of the records and
     * a total past int64 (what results carry) is known as such at the end (fits64), instead
     * of wrapping into a plausible figure.  overflow: even 128 bits did not hold it. */
    zf_i128 num, den;             /* sums (or counts) of the numerator and denominator */
    int64_t records, den_records; /* rows in the population / in a RATIO's denominator */
    zf_i128 prev_num, prev_den;   /* GROWTH: the year before */
    int64_t prev_records;
    bool overflow;
    bool has_best;                /* LATEST */
    bool best_overflow;           /* the chosen row's amount × factor is past int64 */
    int32_t best_date;
    int64_t best_value;
    const char *best_word;
    bool covered;                 /* COVERAGE */
    const char *best_file;        /* LATEST, for traces */
    long best_line;
} acc;

/* A join key (RATE with exists) remembers in which years the register row is in the
 * population and, for each job of its register, in which years a matching record was seen.
 * Kept inline in the register's zf_keymap: 8 bytes and 4 a job. */
typedef struct join_entry {
    uint32_t pop;
    int32_t region;
    uint32_t hit[];               /* [job.hit_index] */
} join_entry;

/* Where a fed record comes from (for traces). */
typedef struct origin {
    const char *file;
    long line;
} origin;

/* The keys of the register of exists joins.  Jobs whose population is the same selection
 * keyed by the same column (the parts of one indicator over one register) share it: each
 * register row is put once, and a matching record is looked up once for all of them, in a
 * table of half or less the size of one table per job (at scale 100 the lookups, random over
 * tens of MB, are each a cache miss). */
enum { REG_JOBS_MAX = 14 };   /* the hit masks of a zf_keymap value of at most 64 bytes */

/* A matching record is marked in its register entry a few records later (join_reg.queue):
 * the entry's slot, prefetched when the record is fed, is then in the cache. */
enum { HITS_QUEUED = 16 };

typedef struct queued_hit {
    uint64_t code;                /* the key, zf_key_pack */
    uint32_t hit;                 /* years */
    uint32_t index;               /* job.hit_index */
} queued_hit;

typedef struct join_reg {
    const struct job *owner;      /* the first job: its population and region for all */
    size_t n_jobs;
    zf_keymap keys;               /* join_entry with n_jobs hit masks */
    zf_keyset present;            /* the same keys: whether a record's key is in the register,
                                     from a table small enough to stay in the cache */
    queued_hit queue[HITS_QUEUED];/* a ring of hits not yet marked in keys */
    size_t n_queued, next;
    zf_keymap origin_of;          /* traced run only: 1 + index into origins (uint32) */
    origin *origins;              /* register rows of the traced join */
    size_t n_origins;
} join_reg;

typedef struct job {
    const zf_rule *rule;
    size_t indicator, part;       /* SIZE_MAX for a policy operand */
    size_t policy;
    int which;
    size_t n_regions;             /* 1, or the whole tree when by_region */
    acc *acc;                     /* [year * n_regions + region] */
    zf_keymap keys;               /* distinct counts (uint32 years) */
    bool has_keys;
    join_reg *reg;                /* exists joins: the register, and this job's hit mask */
    size_t hit_index;
    zf_arena arena;               /* words of LATEST rules: per job, so that groups of sources
                                     can be fed by different threads */
    zf_subm *subm;                /* other plans: SUBMITTED rules keep their reports there
                                     (etl/compute/submissions.c) */
} job;

/* How a consumer is fed, decided once when the engine starts. */
typedef enum feed_how {
    FEED_SUBMITTED,               /* other plans: zf_subm_feed */
    FEED_JOIN,                    /* a RATE with exists: feed_join */
    FEED_PLAIN,                   /* tallied (when nothing is traced) */
    FEED_BY_YEAR                  /* feed_year for each candidate year */
} feed_how;

/* Pointers, not indexes: a record's feeding walks these without a chain of lookups. */
typedef struct consumer {
    job *job;
    role role;
    feed_how how;
} consumer;

/* The common rule (most indicators of every plan, both rules of the largest source) is a
 * RATE over a source with a date or year column and conditions that do not depend on the
 * year: a plain.  What a record adds to a plain depends only on its years, its town, the
 * outcome of the conditions and a few amount columns, and the sums are linear; so the
 * plains of a source are not fed one by one.  The conditions of all of them turn each
 * record into one small number, its class (one load and compare per condition column),
 * and the record is counted, with its amounts summed, in one cell of a tally by year, town
 * and class, shared by every plain with the same scope.  The plains' accumulators are
 * filled from the cells at the end (flush_tallies): a plain's conditions are a bit mask
 * over the classes, its sums the same sums of the cells' column sums. */
enum { CLASSES_MAX = 64, CELL_WORDS_MAX = 1 << 18 };

/* One factor of the class.  A vocabulary column: slots 0 .. k-1 are the codes its
 * conditions name, k every other present value (no condition names one), k + 1 absent.
 * Or one condition of another kind (cond): slot 1 when it holds. */
typedef struct class_dim {
    const zf_cond *cond;
    size_t column;
    uint32_t k, n_slots, stride;
} class_dim;

/* A sum over a tally's column sums: the added columns, then the subtracted ones, as
 * indexes into tally.cols; a count (no terms) is the cell's count. */
typedef struct sum_prog {
    const uint32_t *col;
    uint32_t n_plus, n;
    bool count;
    uint64_t scale;
} sum_prog;

typedef struct plain {
    acc *acc;                     /* the job's, [year * n_regions + region] */
    size_t n_regions;
    uint64_t where, in_num;       /* bit c: the records of class c are in the population,
                                     in the numerator */
    sum_prog num, den;
} plain;

/* The plains of a source with one scope (and one town column). */
typedef struct tally {
    zf_scope scope;
    size_t region_column;
    uint32_t n_regions;           /* 1: no town column */
    uint32_t n_cols;              /* columns summed, cols[0 .. n_cols-1] */
    size_t *cols;
    uint64_t take;                /* classes that some plain takes */
    uint64_t *cells;              /* [year][town][class][1 + n_cols]: the count of records, then
                                     the sum of each column */
    int64_t *carries;             /* beside cells: how often each column sum went past int64
                                     upwards (+1) or downwards (-1); calloc'd, so its pages
                                     stay untouched unless a sum overflows */
    size_t width, region_stride, year_stride;   /* in words */
    plain *plains;
    size_t n_plains;
} tally;

/* How one source's records are fed. */
typedef struct source_feed {
    consumer *all;                /* every consumer: a trace feeds them all by year */
    size_t n_all;
    consumer *slow;               /* those not tallied */
    size_t n_slow;
    class_dim *dims;              /* the vocabulary dims first */
    size_t n_dims, n_vocab_dims;
    uint32_t n_classes;           /* product of the dims' slots, at most CLASSES_MAX */
    tally *tallies;
    size_t n_tallies;
} source_feed;

struct zf_engine {
    zf_run *run;
    const zf_defs *defs;
    size_t n_years;
    int year[ZF_MAX_YEARS];
    int32_t start[ZF_MAX_YEARS], ref[ZF_MAX_YEARS];
    int32_t day0;                 /* in_year[d - day0]: the years whose window [Y-01-01, R] */
    uint32_t *in_year;            /* holds day d, for every day of the run's windows */
    size_t n_days;
    job *jobs;
    size_t n_jobs;
    join_reg *regs;               /* as many as jobs, n_regs of them used */
    size_t n_regs;
    source_feed *feeds;           /* per source */
    zf_source_state *state;
    zf_arena arena;
    const char *origin_file;      /* the record being fed (zf_engine_set_origin) */
    long origin_line;
    zf_trace_fn trace;            /* NULL unless one value is being traced */
    void *trace_ctx;
    const job *trace_job;
    size_t trace_year;            /* index into year[] */
    int trace_region;
};

static int sum_scale(const zf_engine *e, size_t source, const zf_sum *s);

static bool traced(const zf_engine *e, const job *j, size_t y, int region)
{
    return e->trace && e->trace_job == j && e->trace_year == y &&
           (e->trace_region == 0 || e->trace_region == region);
}

static void emit(const zf_engine *e, const origin *o, const job *j, zf_trace_role role,
                 size_t source, const zf_value *v, int64_t num, int64_t den)
{
    const zf_rule *r = j->rule;
    zf_trace_row row = {role, source, o->file, o->line, v, NULL, 0, num, den,
                        sum_scale(e, r->sel.source, &r->num_sum),
                        sum_scale(e, r->kind == ZF_RULE_RATIO ? r->den_sel.source : r->sel.source,
                                  &r->den_sum)};
    e->trace(e->trace_ctx, &row);
}

/* ---- record tests ------------------------------------------------------- */

static bool scope_match(const zf_scope *s, const zf_value *v, const zf_engine *e, size_t y)
{
    const zf_value *c = &v[s->column];
    switch (s->kind) {
    case ZF_SCOPE_ALL:
        return true;
    case ZF_SCOPE_IN_YEAR:
        return c->present && c->i >= e->start[y] && c->i <= e->ref[y];
    case ZF_SCOPE_YEAR_COL:
        return c->present && c->i == e->year[y];
    case ZF_SCOPE_ON_OR_BEFORE_R:
        return c->present && c->i <= e->ref[y];
    case ZF_SCOPE_ACTIVE_AT_R: {
        const zf_value *end = &v[s->end_column];
        return c->present && c->i <= e->ref[y] && (!end->present || end->i > e->ref[y]);
    }
    case ZF_SCOPE_DURING_YEAR: {
        const zf_value *end = &v[s->end_column];
        return c->present && c->i <= e->ref[y] && (!end->present || end->i >= e->start[y]);
    }
    }
    return false;
}

static inline bool word_in(const zf_cond *c, const zf_value *v)
{
    if (c->has_code_bits)
        return v->i >= 0 && v->i < 64 && (c->code_bits >> v->i & 1);
    if (c->n_codes) {
        for (size_t i = 0; i < c->n_codes; i++)
            if (c->codes[i] == v->i)
                return true;
        return false;
    }
    for (size_t i = 0; i < c->n_words; i++)
        if (strlen(c->words[i]) == v->len && memcmp(c->words[i], v->s, v->len) == 0)
            return true;
    return false;
}

/* Condition c on v, the value of its column. */
static inline bool cond_value(const zf_cond *c, const zf_value *v, const zf_engine *e, size_t y)
{
    switch (c->op) {
    case ZF_OP_IN:
        return v->present && word_in(c, v);
    case ZF_OP_NOT_IN:
        return v->present && !word_in(c, v);
    case ZF_OP_EQ_NUM:
        return v->present && v->i == c->number;
    case ZF_OP_GT_NUM:
        return v->present && v->i > c->number;
    case ZF_OP_PRESENT_LE_R:
        return v->present && v->i <= e->ref[y];
    case ZF_OP_EQ_YEAR:
        return v->present && v->i == e->year[y];
    case ZF_OP_EQ_PREV_YEAR:
        return v->present && v->i == e->year[y] - 1;
    }
    return false;
}

static inline bool cond_match(const zf_cond *c, const zf_value *values, const zf_engine *e, size_t y)
{
    return cond_value(c, &values[c->column], e, y);
}

static inline bool conds_match(const zf_cond *c, size_t n, const zf_value *v, const zf_engine *e, size_t y)
{
    for (size_t i = 0; i < n; i++)
        if (!cond_match(&c[i], v, e, y))
            return false;
    return true;
}

static bool selected(const zf_selection *s, const zf_value *v, const zf_engine *e, size_t y)
{
    return scope_match(&s->scope, v, e, y) && conds_match(s->where, s->n_where, v, e, y);
}

/* What one record adds to sum s, exact in 128 bits; false (and *out unusable) past them. */
static inline bool sum_terms(const zf_sum *s, const zf_value *v, zf_i128 *out)
{
    if (!s->n_terms) {
        *out = 1;
        return true;
    }
    zf_i128 total = 0;
    bool over = false;
    for (size_t i = 0; i < s->n_terms; i++) {
        const zf_value *c = &v[s->columns[i]];
        if (c->present)
            over |= __builtin_add_overflow(total, (zf_i128)s->signs[i] * c->i, &total);
    }
    over |= __builtin_mul_overflow(total, (zf_i128)(s->scale ? s->scale : 1), out);
    return !over;
}

static inline void acc_add(acc *a, zf_i128 *sum, zf_i128 x)
{
    if (__builtin_add_overflow(*sum, x, sum))
        a->overflow = true;
}

/* A trace row carries int64 amounts: one record's past that is shown at the limit (the
 * value it goes into is reported as out of range by then). */
static int64_t trace_amount(zf_i128 v)
{
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

static int record_region(const job *j, const zf_value *v)
{
    if (j->n_regions <= 1)
        return -1;
    const zf_value *r = &v[j->rule->region_column];
    if (!r->present || r->i <= 0 || (size_t)r->i >= j->n_regions)
        return -1;
    return (int)r->i;
}

/* ---- feeding ------------------------------------------------------------ */

static void add(job *j, size_t y, int region, void (*fn)(acc *, const void *), const void *arg)
{
    fn(&j->acc[y * j->n_regions], arg);
    if (region > 0)
        fn(&j->acc[y * j->n_regions + (size_t)region], arg);
}

typedef struct rate_arg {
    zf_i128 num, den;
    bool in_num;
    bool overflow;                /* sum_terms could not hold num or den */
} rate_arg;

static void add_rate(acc *a, const void *p)
{
    const rate_arg *r = p;
    a->records++;
    a->overflow |= r->overflow;
    acc_add(a, &a->den, r->den);
    if (r->in_num)
        acc_add(a, &a->num, r->num);
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

/* The register lookups of one record's exists joins.  Jobs whose register is the same
 * source keyed by the same column hold exactly the same keys (every register row is put
 * into each register), so one lookup of the same record key answers for all of them: a
 * job whose selection takes no year of the record needs the lookup only to call the
 * record an orphan, and that check is deferred to the end of the record, where a lookup
 * done for another job usually answers it. */
enum { MEMO_MAX = 8 };

/* A record's key into a register, packed once for the presence test and the queued hit. */
typedef struct reg_key {
    uint64_t code;
    bool packed;                  /* false: the key does not pack, it is kept as text */
} reg_key;

typedef struct exists_memo {
    const job *done[MEMO_MAX];    /* lookups made, whether the key was absent, and the key */
    bool absent[MEMO_MAX];
    reg_key key[MEMO_MAX];
    size_t n_done;
    const job *pending[MEMO_MAX]; /* orphan checks deferred */
    size_t n_pending;
} exists_memo;

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
static void settle_orphans(const zf_engine *e, exists_memo *m, const zf_value *v, bool *orphan)
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

static void mark_queued(join_reg *g)
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

static zf_status feed_exists(const zf_engine *e, job *j, const zf_value *v, exists_memo *m, bool *orphan)
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
static zf_status keep_origin(join_reg *g, const origin *o, const zf_value *key)
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
static zf_status feed_register(const zf_engine *e, const origin *o, job *j, const zf_value *v)
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

static zf_status feed_join(const zf_engine *e, const origin *o, job *j, role ro, const zf_value *v,
                           exists_memo *m, bool *orphan)
{
    const zf_rule *r = j->rule;
    const zf_value *key = &v[ro == ROLE_POP ? r->key_column : r->exists_key];
    if (!key->present)
        return ZF_OK;
    return ro == ROLE_EXISTS ? feed_exists(e, j, v, m, orphan) : feed_register(e, o, j, v);
}

static zf_status feed_distinct(const zf_engine *e, const origin *o, job *j, const zf_value *v,
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

static zf_status feed_latest(const zf_engine *e, const origin *o, job *j, const zf_value *v,
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

static zf_status feed_year(const zf_engine *e, const origin *o, job *j, role ro, const zf_value *v,
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
    case ZF_RULE_RATIO: {
        rate_arg a = {0, 0, true, false};
        a.overflow = !sum_terms(&r->num_sum, v, &a.num) || !sum_terms(&r->den_sum, v, &a.den);
        if (r->kind == ZF_RULE_RATIO)
            a.den = 0;
        else
            a.in_num = conds_match(r->num_where, r->n_num_where, v, e, y);
        add(j, y, region, add_rate, &a);
        if (traced(e, j, y, region)) {
            zf_trace_role role = r->kind == ZF_RULE_RATIO ? ZF_TRACE_NUMERATOR
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

/* The years whose scope s the record is in: exact for a date window (one load from the
 * table by day) and a year column, every year for the other scopes. */
static inline uint32_t scope_years(const zf_engine *e, const zf_scope *s, const zf_value *v)
{
    const zf_value *c = &v[s->column];
    uint32_t m = 0;
    switch (s->kind) {
    case ZF_SCOPE_IN_YEAR:
        if (!c->present || (uint64_t)c->i - (uint64_t)e->day0 >= e->n_days)
            return 0;
        return e->in_year[c->i - e->day0];
    case ZF_SCOPE_YEAR_COL:
        if (!c->present)
            return 0;
        for (size_t y = 0; y < e->n_years; y++)
            m |= (uint32_t)(c->i == e->year[y]) << y;
        return m;
    default:
        return e->n_years >= 32 ? UINT32_MAX : (UINT32_C(1) << e->n_years) - 1;
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

/* ---- tallies (source_feed) ---------------------------------------------- */

/* The part of the class from the dims of conditions (not vocabulary tests).  Out of line:
 * most sources have none, and cond_value inlined would cost every record saved registers. */
static __attribute__((noinline)) uint32_t cond_class(const zf_engine *e, const source_feed *f,
                                                     const zf_value *v)
{
    uint32_t cls = 0;
    for (size_t m = f->n_vocab_dims; m < f->n_dims; m++)
        cls += cond_value(f->dims[m].cond, &v[f->dims[m].column], e, 0) * f->dims[m].stride;
    return cls;
}

static inline uint32_t record_class(const zf_engine *e, const source_feed *f, const zf_value *v)
{
    uint32_t cls = 0;
    size_t m = 0;
    for (; m < f->n_vocab_dims; m++) {
        const class_dim *d = &f->dims[m];
        const zf_value *x = &v[d->column];
        const uint64_t slot = (uint64_t)x->i < d->k ? (uint64_t)x->i : d->k;
        cls += (uint32_t)(x->present ? slot : d->k + 1) * d->stride;
    }
    return m < f->n_dims ? cls + cond_class(e, f, v) : cls;
}

/* The value of a summed column, 0 when absent, without a branch. */
static inline uint64_t term(const zf_value *v, size_t column)
{
    return (uint64_t)v[column].i & (0 - (uint64_t)v[column].present);
}

/* Out of the way of the loop: a column sum went past int64 (over 92 amounts at the parser's
 * 10^17 limit).  The carry makes the cell's sum exact again in 128 bits (cell_sum). */
static __attribute__((noinline, cold)) void carry(const tally *t, const uint64_t *sum, uint64_t x)
{
    t->carries[sum - t->cells] += (int64_t)x < 0 ? -1 : 1;
}

/* A cell's column sum is the int64 in its word plus 2^64 × its carry: the wrapped add costs
 * the loop one branch, never taken on real data. */
static inline void add_columns(const tally *t, uint64_t *sum, const size_t *cols, uint32_t n,
                               const zf_value *v)
{
    for (const size_t *end = cols + n; cols < end; cols++, sum++) {
        const uint64_t x = term(v, *cols);
        int64_t total;
        if (__builtin_expect(__builtin_add_overflow((int64_t)*sum, (int64_t)x, &total), 0))
            carry(t, sum, x);
        *sum = (uint64_t)total;
    }
}

static void tally_record(const zf_engine *e, const tally *t, const zf_value *v, uint32_t cls)
{
    const uint32_t years = scope_years(e, &t->scope, v);
    if (!years)
        return;
    uint64_t *cell = t->cells + cls * t->width;
    if (t->n_regions > 1) {
        const zf_value *r = &v[t->region_column];
        if (r->present && r->i > 0 && (uint64_t)r->i < t->n_regions)
            cell += (size_t)r->i * t->region_stride;
    }
    for (uint32_t y = years; y; y &= y - 1) {
        uint64_t *c = cell + (size_t)__builtin_ctz(y) * t->year_stride;
        c[0]++;
        add_columns(t, c + 1, t->cols, t->n_cols, v);
    }
}

/* Reached by a tail call from zf_engine_feed_at (see feed_slow). */
static __attribute__((noinline)) zf_status feed_tallies(const zf_engine *e, const source_feed *f,
                                                        const zf_value *v)
{
    const uint32_t cls = record_class(e, f, v);
    for (size_t k = 0; k < f->n_tallies; k++)
        if (f->tallies[k].take >> cls & 1)
            tally_record(e, &f->tallies[k], v, cls);
    return ZF_OK;
}

/* What sum s of a plain adds for the records of one cell (carries beside it), exact in 128
 * bits; false past them. */
static bool cell_sum(const sum_prog *s, const uint64_t *cell, const int64_t *carries, zf_i128 *out)
{
    if (s->count) {
        *out = (zf_i128)cell[0];
        return true;
    }
    const zf_i128 wrap = (zf_i128)UINT64_MAX + 1;
    zf_i128 t = 0;
    bool over = false;
    for (uint32_t k = 0; k < s->n; k++) {
        const size_t w = 1 + s->col[k];
        const zf_i128 col = (zf_i128)(int64_t)cell[w] + (zf_i128)carries[w] * wrap;
        over |= k < s->n_plus ? __builtin_add_overflow(t, col, &t) : __builtin_sub_overflow(t, col, &t);
    }
    over |= __builtin_mul_overflow(t, (zf_i128)s->scale, out);
    return !over;
}

/* Adds one cell (year y, town r, class cls) to the plains that take it, and empties it. */
static void flush_cell(const tally *t, uint64_t *cell, size_t y, size_t r, uint32_t cls)
{
    int64_t *carries = t->carries + (cell - t->cells);
    for (size_t k = 0; k < t->n_plains; k++) {
        const plain *p = &t->plains[k];
        if (!(p->where >> cls & 1))
            continue;
        zf_i128 den, num = 0;
        bool over = !cell_sum(&p->den, cell, carries, &den);
        if (p->in_num >> cls & 1)
            over |= !cell_sum(&p->num, cell, carries, &num);
        for (int pass = 0; pass < (r > 0 && p->n_regions > 1 ? 2 : 1); pass++) {
            acc *a = &p->acc[y * p->n_regions + (pass ? r : 0)];
            a->records += (int64_t)cell[0];
            a->overflow |= over;
            acc_add(a, &a->den, den);
            acc_add(a, &a->num, num);
        }
    }
    memset(cell, 0, (1 + (size_t)t->n_cols) * sizeof *cell);
    memset(carries, 0, (1 + (size_t)t->n_cols) * sizeof *carries);
}

static void flush_tallies(const zf_engine *e)
{
    for (size_t s = 0; s < e->defs->sources.n_sources; s++) {
        const source_feed *f = &e->feeds[s];
        for (size_t k = 0; k < f->n_tallies; k++) {
            const tally *t = &f->tallies[k];
            const size_t width = 1 + (size_t)t->n_cols;
            uint64_t *cell = t->cells;
            for (size_t y = 0; y < e->n_years; y++)
                for (size_t r = 0; r < t->n_regions; r++)
                    for (uint32_t cls = 0; cls < f->n_classes; cls++, cell += width)
                        if (cell[0])
                            flush_cell(t, cell, y, r, cls);
        }
    }
}

static zf_status feed_consumers(zf_engine *e, const consumer *cs, size_t n, const zf_value *values,
                                const char *file, long line, bool *orphan)
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
            st = feed_join(e, &o, j, ro, values, &memo, orphan);
        } else {
            for (uint32_t years = candidate_years(e, j, ro, values); years && st == ZF_OK; years &= years - 1)
                st = feed_year(e, &o, j, ro, values, (size_t)__builtin_ctz(years));
        }
        if (st != ZF_OK)
            return st;
    }
    settle_orphans(e, &memo, values, orphan);
    return ZF_OK;
}

/* A source with consumers that are not tallied, or a trace.  Apart from feed_tallies, so that
 * zf_engine_feed_at saves no registers for it. */
static __attribute__((noinline)) zf_status feed_slow(zf_engine *e, const source_feed *f,
                                                     const zf_value *values, const char *file, long line,
                                                     bool *orphan)
{
    if (e->trace)   /* every consumer through feed_year, which reports the traced records */
        return feed_consumers(e, f->all, f->n_all, values, file, line, orphan);
    zf_status st = feed_consumers(e, f->slow, f->n_slow, values, file, line, orphan);
    return st == ZF_OK && f->n_tallies ? feed_tallies(e, f, values) : st;
}

zf_status zf_engine_feed_at(zf_engine *e, size_t source, const zf_value *values, const char *file,
                            long line, bool *orphan)
{
    const source_feed *f = &e->feeds[source];
    *orphan = false;
    if (e->trace || f->n_slow)
        return feed_slow(e, f, values, file, line, orphan);
    return f->n_tallies ? feed_tallies(e, f, values) : ZF_OK;
}

zf_status zf_engine_feed(zf_engine *e, size_t source, const zf_value *values, bool *orphan)
{
    return zf_engine_feed_at(e, source, values, e->origin_file, e->origin_line, orphan);
}

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

static zf_status add_consumer(zf_engine *e, size_t source, size_t job_index, role ro)
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

/* A vocabulary condition with codes below 64: a class_dim of its column decides it. */
static bool vocab_cond(const zf_cond *c)
{
    return (c->op == ZF_OP_IN || c->op == ZF_OP_NOT_IN) && c->has_code_bits;
}

static bool same_strings(const char **a, const char **b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* Two rules' conditions that are the same test (one class dim for both). */
static bool same_cond(const zf_cond *a, const zf_cond *b)
{
    return a->column == b->column && a->op == b->op && a->number == b->number && a->n_codes == b->n_codes &&
           a->n_words == b->n_words && same_strings(a->words, b->words, a->n_words) &&
           (!a->n_codes || memcmp(a->codes, b->codes, a->n_codes * sizeof *a->codes) == 0);
}

/* The dim among d[0 .. n-1] that decides condition c, or NULL. */
static class_dim *dim_of(class_dim *d, size_t n, const zf_cond *c)
{
    for (size_t m = 0; m < n; m++)
        if (vocab_cond(c) ? !d[m].cond && d[m].column == c->column : d[m].cond && same_cond(d[m].cond, c))
            return &d[m];
    return NULL;
}

static uint32_t n_classes(const class_dim *d, size_t n)
{
    uint64_t product = 1;
    for (size_t m = 0; m < n && product <= CLASSES_MAX; m++)
        product *= d[m].n_slots;
    return product <= CLASSES_MAX ? (uint32_t)product : CLASSES_MAX + 1;
}

static const zf_cond *rule_cond(const zf_rule *r, size_t i)
{
    return i < r->sel.n_where ? &r->sel.where[i] : &r->num_where[i - r->sel.n_where];
}

/* Adds the dims rule r needs to d[0 .. *n-1] (room for all), unless the classes would
 * then be more than CLASSES_MAX; returns whether it did. */
static bool add_dims(class_dim *d, size_t *n, class_dim *scratch, const zf_rule *r)
{
    size_t m = *n;
    memcpy(scratch, d, m * sizeof *d);
    for (size_t i = 0; i < r->sel.n_where + r->n_num_where; i++) {
        const zf_cond *c = rule_cond(r, i);
        class_dim *dim = dim_of(scratch, m, c);
        if (!dim) {
            dim = &scratch[m++];
            *dim = (class_dim){vocab_cond(c) ? NULL : c, c->column, 0, 2, 0};
        }
        if (vocab_cond(c) && c->code_bits) {
            const uint32_t k = 64 - (uint32_t)__builtin_clzll(c->code_bits);
            dim->k = k > dim->k ? k : dim->k;
            dim->n_slots = dim->k + 2;
        }
    }
    if (n_classes(scratch, m) > CLASSES_MAX)
        return false;
    memcpy(d, scratch, m * sizeof *d);
    *n = m;
    return true;
}

/* The class dims of the plains of f (consumers marked FEED_PLAIN), taken plain by plain;
 * a plain whose conditions would make more than CLASSES_MAX classes is fed by year. */
static zf_status choose_dims(zf_engine *e, source_feed *f)
{
    size_t n = 0;
    for (size_t c = 0; c < f->n_all; c++)
        n += f->all[c].job->rule->sel.n_where + f->all[c].job->rule->n_num_where;
    class_dim *scratch = zf_arena_calloc(&e->arena, n ? n : 1, sizeof *scratch);
    f->dims = zf_arena_calloc(&e->arena, n ? n : 1, sizeof *f->dims);
    if (!scratch || !f->dims)
        return ZF_ERR_NOMEM;
    for (size_t c = 0; c < f->n_all; c++)
        if (f->all[c].how == FEED_PLAIN && !add_dims(f->dims, &f->n_dims, scratch, f->all[c].job->rule))
            f->all[c].how = FEED_BY_YEAR;
    f->n_classes = n_classes(f->dims, f->n_dims);
    for (size_t m = 0; m < f->n_dims; m++) {   /* vocabulary dims first, for record_class */
        if (f->dims[m].cond)
            continue;
        const class_dim d = f->dims[m];
        memmove(&f->dims[f->n_vocab_dims + 1], &f->dims[f->n_vocab_dims], (m - f->n_vocab_dims) * sizeof d);
        f->dims[f->n_vocab_dims++] = d;
    }
    for (size_t m = 0, stride = 1; m < f->n_dims; stride *= f->dims[m++].n_slots)
        f->dims[m].stride = (uint32_t)stride;
    return ZF_OK;
}

/* The classes whose records meet all of c[0 .. n-1], found by asking cond_value itself
 * about a value standing for each slot. */
static uint64_t class_mask(const zf_engine *e, const source_feed *f, const zf_cond *c, size_t n)
{
    uint64_t mask = 0;
    for (uint32_t cls = 0; cls < f->n_classes; cls++) {
        bool pass = true;
        for (size_t i = 0; i < n && pass; i++) {
            const class_dim *d = dim_of(f->dims, f->n_dims, &c[i]);
            const uint32_t slot = cls / d->stride % d->n_slots;
            const zf_value x = {.present = slot <= d->k, .i = slot < d->k ? (int64_t)slot : -1};
            pass = d->cond ? slot == 1 : cond_value(&c[i], &x, e, 0);
        }
        mask |= (uint64_t)pass << cls;
    }
    return mask;
}

/* The index of column col in t->cols (room for all), added if new. */
static uint32_t tally_col(tally *t, size_t col)
{
    uint32_t k = 0;
    while (k < t->n_cols && t->cols[k] != col)
        k++;
    if (k == t->n_cols)
        t->cols[t->n_cols++] = col;
    return k;
}

static zf_status compile_sum(zf_engine *e, tally *t, const zf_sum *s, sum_prog *out)
{
    uint32_t *col = zf_arena_calloc(&e->arena, s->n_terms ? s->n_terms : 1, sizeof *col);
    if (!col)
        return ZF_ERR_NOMEM;
    uint32_t n = 0;
    for (size_t i = 0; i < s->n_terms; i++)
        if (s->signs[i] > 0)
            col[n++] = tally_col(t, s->columns[i]);
    const uint32_t n_plus = n;
    for (size_t i = 0; i < s->n_terms; i++)
        if (s->signs[i] < 0)
            col[n++] = tally_col(t, s->columns[i]);
    *out = (sum_prog){col, n_plus, n, s->n_terms == 0, s->scale ? (uint64_t)s->scale : 1};
    return ZF_OK;
}

/* The tally of f a plain of job j goes to: the same scope, and the same town column when
 * both have one.  A new one when none fits. */
static tally *tally_for(source_feed *f, const job *j)
{
    const zf_rule *r = j->rule;
    for (size_t k = 0; k < f->n_tallies; k++) {
        tally *t = &f->tallies[k];
        if (t->scope.kind != r->sel.scope.kind || t->scope.column != r->sel.scope.column)
            continue;
        if (j->n_regions > 1 && t->n_regions > 1 && t->region_column != r->region_column)
            continue;
        if (j->n_regions > 1 && t->n_regions == 1) {
            t->region_column = r->region_column;
            t->n_regions = (uint32_t)j->n_regions;
        }
        return t;
    }
    tally *t = &f->tallies[f->n_tallies++];
    t->scope = r->sel.scope;
    t->region_column = r->region_column;
    t->n_regions = (uint32_t)j->n_regions;
    return t;
}

/* n_terms: of all the plains of f, room enough for any tally's columns */
static zf_status add_plain(zf_engine *e, source_feed *f, const job *j, size_t n_terms)
{
    const zf_rule *r = j->rule;
    tally *t = tally_for(f, j);
    if (!t->plains) {
        t->plains = zf_arena_calloc(&e->arena, f->n_all, sizeof *t->plains);
        t->cols = zf_arena_calloc(&e->arena, n_terms ? n_terms : 1, sizeof *t->cols);
        if (!t->plains || !t->cols)
            return ZF_ERR_NOMEM;
    }
    plain *p = &t->plains[t->n_plains++];
    *p = (plain){.acc = j->acc, .n_regions = j->n_regions,
                 .where = class_mask(e, f, r->sel.where, r->sel.n_where),
                 .in_num = class_mask(e, f, r->num_where, r->n_num_where)};
    t->take |= p->where;
    zf_status st = compile_sum(e, t, &r->num_sum, &p->num);
    return st == ZF_OK ? compile_sum(e, t, &r->den_sum, &p->den) : st;
}

/* Words of the cells of a source's tallies at most (one tally with every plain and every
 * town); past CELL_WORDS_MAX the source's plains are fed by year instead. */
static size_t cell_words(const zf_engine *e, const source_feed *f, size_t n_terms)
{
    return e->n_years * e->defs->regions.n_regions * f->n_classes * (1 + n_terms);
}

/* Splits a source's consumers into tallied plains and the slow rest (source_feed). */
static zf_status compile_feed(zf_engine *e, source_feed *f)
{
    size_t n_terms = 0;
    for (size_t c = 0; c < f->n_all; c++) {
        const zf_rule *r = f->all[c].job->rule;
        n_terms += f->all[c].how == FEED_PLAIN ? r->num_sum.n_terms + r->den_sum.n_terms : 0;
    }
    f->tallies = zf_arena_calloc(&e->arena, f->n_all ? f->n_all : 1, sizeof *f->tallies);
    f->slow = zf_arena_calloc(&e->arena, f->n_all ? f->n_all : 1, sizeof *f->slow);
    zf_status st = f->tallies && f->slow ? choose_dims(e, f) : ZF_ERR_NOMEM;
    for (size_t c = 0; c < f->n_all && cell_words(e, f, n_terms) > CELL_WORDS_MAX; c++)
        if (f->all[c].how == FEED_PLAIN)
            f->all[c].how = FEED_BY_YEAR;
    for (size_t c = 0; c < f->n_all && st == ZF_OK; c++) {
        if (f->all[c].how == FEED_PLAIN)
            st = add_plain(e, f, f->all[c].job, n_terms);
        else
            f->slow[f->n_slow++] = f->all[c];
    }
    for (size_t k = 0; k < f->n_tallies && st == ZF_OK; k++) {
        tally *t = &f->tallies[k];
        t->width = 1 + (size_t)t->n_cols;
        t->region_stride = f->n_classes * t->width;
        t->year_stride = t->n_regions * t->region_stride;
        t->cells = zf_arena_calloc(&e->arena, e->n_years * t->year_stride, sizeof *t->cells);
        t->carries = calloc(e->n_years * t->year_stride, sizeof *t->carries);
        st = t->cells && t->carries ? ZF_OK : ZF_ERR_NOMEM;
    }
    return st;
}

static bool same_selection(const zf_selection *a, const zf_selection *b)
{
    if (a->source != b->source || a->scope.kind != b->scope.kind || a->scope.column != b->scope.column ||
        a->scope.end_column != b->scope.end_column || a->n_where != b->n_where)
        return false;
    for (size_t i = 0; i < a->n_where; i++)
        if (!same_cond(&a->where[i], &b->where[i]))
            return false;
    return true;
}

/* Whether the register rows of rules a and b make the same join entries (join_reg). */
static bool same_population(const zf_rule *a, const zf_rule *b)
{
    return a->key_column == b->key_column && same_selection(&a->sel, &b->sel) &&
           a->by_region == b->by_region && (!a->by_region || a->region_column == b->region_column);
}

/* Job j into the join_reg of its population, new or shared (keys made in make_registers). */
static void join_register(zf_engine *e, job *j)
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

static zf_status make_registers(zf_engine *e)
{
    for (size_t i = 0; i < e->n_regs; i++) {
        join_reg *g = &e->regs[i];
        if (zf_keymap_init(&g->keys, sizeof(join_entry) + g->n_jobs * sizeof(uint32_t)) != ZF_OK ||
            zf_keyset_init(&g->present) != ZF_OK || zf_keymap_init(&g->origin_of, sizeof(uint32_t)) != ZF_OK)
            return ZF_ERR_NOMEM;
    }
    return ZF_OK;
}

static zf_status add_job(zf_engine *e, const zf_rule *rule, size_t indicator, size_t part,
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
        join_register(e, j);
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

static zf_status add_jobs(zf_engine *e)
{
    const zf_plan *p = &e->defs->plan;
    size_t n = 0;
    for (size_t i = 0; i < p->n_indicators; i++)
        n += p->indicators[i].n_parts;
    n += 2 * p->n_policies;
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
    }
    return st == ZF_OK ? make_registers(e) : st;
}

/* The in-year windows as a table by day, so that a dated record finds its year with one
 * load (a few thousand days: the windows of the run's years). */
static zf_status index_days(zf_engine *e)
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
        st = compile_feed(e, &e->feeds[s]);
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

/* ---- results ------------------------------------------------------------ */

static int sum_scale(const zf_engine *e, size_t source, const zf_sum *s)
{
    int scale = 0;
    for (size_t i = 0; i < s->n_terms; i++) {
        zf_coltype t = e->defs->sources.sources[source].columns[s->columns[i]].type;
        int sc = t == ZF_COL_AMOUNT ? 2 : (t == ZF_COL_DECIMAL || t == ZF_COL_TEXT_OR_DECIMAL) ? 6 : 0;
        if (sc > scale)
            scale = sc;
    }
    return scale;
}

/* 2^120: a growth fraction up to this, × 100 or × a target's denominator, stays within 128
 * bits.  Sums behind it of 10^15 or less in both years (10^13 yuan) are always below. */
#define GROWTH_BOUND ((zf_i128)1 << 120)

static zf_i128 pow10i(int n)
{
    zf_i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static zf_nodata_reason source_problem(const zf_engine *e, size_t source)
{
    switch (e->state[source]) {
    case ZF_SOURCE_MISSING:
        return ZF_NODATA_SOURCE_MISSING;
    case ZF_SOURCE_FAILED:
        return ZF_NODATA_SOURCE_FAILED;
    default:
        return ZF_NODATA_NONE;
    }
}

static zf_nodata_reason rule_problem(const zf_engine *e, const zf_rule *r)
{
    zf_nodata_reason why = source_problem(e, r->sel.source);
    if (!why && r->has_exists)
        why = source_problem(e, r->exists.source);
    return why;
}

/* A fraction of two scaled sums: (num / 10^ns) / (den / 10^ds). */
static void set_fraction(zf_result *res, int64_t num, int ns, int64_t den, int ds)
{
    if (den == 0) {
        res->nodata = ZF_NODATA_ZERO_DENOMINATOR;
        return;
    }
    res->has_value = true;
    res->value = (zf_frac){(zf_i128)num * pow10i(ds), (zf_i128)den * pow10i(ns)};
    if (res->value.d < 0) {
        res->value.n = -res->value.n;
        res->value.d = -res->value.d;
    }
}

static bool fits64(zf_i128 v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}

static void result_rate(const zf_engine *e, const job *j, const acc *a, zf_result *res)
{
    const zf_rule *r = j->rule;
    if (!fits64(a->num) || !fits64(a->den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_num = res->has_den = true;
    res->num = (int64_t)a->num;
    res->den = (int64_t)a->den;
    res->num_scale = sum_scale(e, r->sel.source, &r->num_sum);
    res->den_scale = sum_scale(e, r->sel.source, &r->den_sum);
    if (a->records == 0) {
        res->nodata = ZF_NODATA_ZERO_DENOMINATOR;
        return;
    }
    set_fraction(res, res->num, res->num_scale, res->den, res->den_scale);
}

static void result_ratio(const zf_engine *e, const job *j, const acc *a, zf_result *res)
{
    const zf_rule *r = j->rule;
    /* a sum over no record of a report that has both numbers (26) is no number at all;
       losses (15) are summed from their own records, and none means 0 */
    if (!fits64(a->num) || !fits64(a->den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_num = a->records > 0 || r->sel.source != r->den_sel.source;
    res->num = (int64_t)a->num;
    res->num_scale = sum_scale(e, r->sel.source, &r->num_sum);
    zf_nodata_reason why = source_problem(e, r->den_sel.source);
    if (why || a->den_records == 0) {
        res->nodata = why ? why : ZF_NODATA_NO_REPORT;
        return;
    }
    res->has_den = true;
    res->den = (int64_t)a->den;
    res->den_scale = sum_scale(e, r->den_sel.source, &r->den_sum);
    set_fraction(res, res->num, res->num_scale, res->den, res->den_scale);
}

static void result_growth(const job *j, const acc *a, zf_result *res)
{
    (void)j;
    if (!a->records || !a->prev_records || a->den == 0 || a->prev_den == 0 || a->prev_num == 0) {
        res->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    /* pc(Y)/pc(Y-1) - 1 = (nY·dP - dY·nP) / (dY·nP); the scales of the sums cancel.  Sums
       that fit int64 make products that fit 128 bits; their difference may not, and the
       value must leave room for × 100 and a target's denominator (GROWTH_BOUND). */
    zf_i128 n, d, nd, dn;
    if (!fits64(a->num) || !fits64(a->den) || !fits64(a->prev_num) || !fits64(a->prev_den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    nd = a->num * a->prev_den;
    dn = a->den * a->prev_num;
    d = dn;
    if (__builtin_sub_overflow(nd, dn, &n)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    zf_frac v = zf_frac_reduce((zf_frac){d < 0 ? -n : n, d < 0 ? -d : d});
    if (v.n > GROWTH_BOUND || v.n < -GROWTH_BOUND || v.d > GROWTH_BOUND) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_value = true;
    res->value = v;
}

static void result_latest(const job *j, const acc *a, zf_result *res)
{
    if (!a->has_best) {
        res->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    if (a->best_overflow) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_value = true;
    if (j->rule->value_kind == ZF_VALUE_WORD)
        res->word = a->best_word;
    else
        res->value = (zf_frac){a->best_value, 100};
}

/* Coverage of the towns: the top row counts covered towns, a town row is 1 of 1. */
static void result_coverage(const zf_engine *e, const job *j, size_t y, int region, zf_result *res)
{
    const zf_region_tree *t = &e->defs->regions;
    int64_t covered = 0, towns = 0;
    for (size_t i = 1; i < t->n_regions; i++) {
        if (t->regions[i].parent != 0 || (region > 0 && (int)i != region))
            continue;
        towns++;
        covered += j->acc[y * j->n_regions + i].covered;
    }
    res->has_num = res->has_den = true;
    res->num = covered;
    res->den = towns;
    set_fraction(res, covered, 0, towns, 0);
}

static void compute_row(const zf_engine *e, const job *j, size_t y, int region, zf_result *res)
{
    const zf_rule *r = j->rule;
    const acc *a = &j->acc[y * j->n_regions + (size_t)region];
    res->kind = r->value_kind;
    res->records = a->records;
    res->nodata = rule_problem(e, r);
    if (!res->nodata && a->overflow)
        res->nodata = ZF_NODATA_OVERFLOW;
    if (res->nodata)
        return;
    switch (r->kind) {
    case ZF_RULE_RATE:
        result_rate(e, j, a, res);
        break;
    case ZF_RULE_RATIO:
        result_ratio(e, j, a, res);
        break;
    case ZF_RULE_GROWTH:
        result_growth(j, a, res);
        break;
    case ZF_RULE_COUNT:   /* records counted one by one: a->num fits */
        res->has_value = true;
        res->value = (zf_frac){a->num, 1};
        break;
    case ZF_RULE_LATEST:
        result_latest(j, a, res);
        break;
    case ZF_RULE_COVERAGE:
        result_coverage(e, j, y, region, res);
        break;
    case ZF_RULE_SUBMITTED:   /* other plans */
        zf_subm_result(j->subm, e->year[y], region, res);
        break;
    default:
        break;
    }
}

/* Join registers are turned into groups only at the end, once every year's
 * population and hits are known. */
static void settle_join(zf_engine *e, job *j)
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

/* other plans: the reports behind a submitted value, for audit trace */
typedef struct subm_trace_ctx {
    const zf_engine *e;
    size_t source;
} subm_trace_ctx;

static void subm_trace_row(void *ctx, const char *file, long line, int region)
{
    const subm_trace_ctx *c = ctx;
    (void)region;
    zf_trace_row row = {ZF_TRACE_CHOSEN, c->source, file, line, NULL, NULL, 0, 0, 0, 0, 0};
    c->e->trace(c->e->trace_ctx, &row);
}

/* other plans: the reports each own report superseded, for the run summary */
typedef struct superseded_ctx {
    zf_superseded_report *out;   /* NULL: count only */
    size_t n;
    size_t indicator;
    int year, region;
} superseded_ctx;

static void superseded_one(void *ctx, int32_t date, int32_t by_date)
{
    superseded_ctx *c = ctx;
    if (c->out)
        c->out[c->n] = (zf_superseded_report){c->indicator, c->year, c->region, date, by_date};
    c->n++;
}

static void walk_superseded(const zf_engine *e, superseded_ctx *c)
{
    const zf_region_tree *t = &e->defs->regions;
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (!j->subm || j->indicator == SIZE_MAX)
            continue;
        c->indicator = j->indicator;
        for (size_t y = 0; y < e->n_years; y++)
            for (size_t reg = 0; reg < t->n_regions; reg++) {
                c->year = e->year[y];
                c->region = (int)reg;
                zf_subm_superseded(j->subm, e->year[y], (int)reg, superseded_one, c);
            }
    }
}

static zf_status collect_superseded(const zf_engine *e, zf_run *run, zf_error *err)
{
    superseded_ctx c = {0};
    walk_superseded(e, &c);
    run->n_superseded = 0;
    if (!c.n)
        return ZF_OK;
    if (!(c.out = zf_arena_calloc(&run->arena, c.n, sizeof *c.out)))
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    c.n = 0;
    walk_superseded(e, &c);
    run->superseded = c.out;
    run->n_superseded = c.n;
    return ZF_OK;
}

zf_status zf_engine_finish(zf_engine *e, zf_run *run, zf_error *err)
{
    const zf_region_tree *t = &e->defs->regions;
    size_t n = 0;
    flush_tallies(e);
    for (size_t i = 0; i < e->n_regs; i++)
        mark_queued(&e->regs[i]);
    for (size_t i = 0; i < e->n_jobs; i++) {
        job *j = &e->jobs[i];
        if (j->rule->has_exists)
            settle_join(e, j);
        if (j->indicator != SIZE_MAX)
            n += e->n_years * (j->n_regions > 1 ? 1 + (size_t)(t->n_regions - 1) : 1);
    }
    run->results = zf_arena_calloc(&run->arena, n ? n : 1, sizeof *run->results);
    if (!run->results)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    run->n_results = 0;
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (j->indicator == SIZE_MAX)
            continue;
        for (size_t y = 0; y < e->n_years; y++) {
            for (size_t reg = 0; reg < j->n_regions; reg++) {
                /* towns are the children of the top region; other plans (submitted rules):
                   every region of the tree, in pre-order */
                if (reg > 0 && t->regions[reg].parent != 0 && !j->subm)
                    continue;
                zf_result *res = &run->results[run->n_results++];
                res->indicator = j->indicator;
                res->part = j->part;
                res->year = run->years[y];
                res->region = (int)reg;
                compute_row(e, j, y, (int)reg, res);
                const acc *a = &j->acc[y * j->n_regions + reg];
                if (j->subm && traced(e, j, y, (int)reg) && (int)reg == e->trace_region) {
                    subm_trace_ctx tc = {e, j->rule->sel.source};   /* other plans */
                    zf_subm_sources(j->subm, e->year[y], (int)reg, subm_trace_row, &tc);
                }
                if (j->rule->kind == ZF_RULE_LATEST && a->has_best &&
                    traced(e, j, y, (int)reg) && (int)reg == e->trace_region) {
                    zf_trace_row row = {ZF_TRACE_CHOSEN, j->rule->sel.source, a->best_file, a->best_line,
                                        NULL, NULL, 0, a->best_value, 0, 2, 0};
                    e->trace(e->trace_ctx, &row);
                }
            }
        }
    }
    return collect_superseded(e, run, err);
}

bool zf_engine_policy_value(const zf_engine *e, size_t policy, int which, size_t year, zf_frac *out)
{
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (j->indicator != SIZE_MAX || j->policy != policy || j->which != which)
            continue;
        for (size_t y = 0; y < e->n_years; y++) {
            if (e->run->years[y] != year)
                continue;
            const acc *a = &j->acc[y * j->n_regions];
            if (!a->has_best || a->best_overflow || source_problem(e, j->rule->sel.source))
                return false;
            *out = (zf_frac){a->best_value, 100};
            return true;
        }
    }
    return false;
}

void zf_engine_set_origin(zf_engine *e, const char *file, long line)
{
    e->origin_file = file;
    e->origin_line = line;
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
