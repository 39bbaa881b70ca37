/* engine_internal.h — compute: what the files of the engine (etl/compute/engine.c,
 * feeding.c, joins.c, tallies.c, results.c) share: its types, the per-record tests and
 * the few functions one file calls in another.  Private to etl/compute.
 *
 * Glossary — the engine's words, as the code uses them:
 *
 *   rule      a zf_rule of the plan (etl/define): what one indicator part or policy operand
 *             computes — its kind (RATE, RATIO, COUNT, GROWTH, LATEST, COVERAGE, SUBMITTED),
 *             its selection, sums and joins.
 *   job       one rule being computed: an indicator part, or one operand (which = 0 a, 1 b, 2 cap)
 *             of a policy; holds its accumulators and, for joins and distinct counts, keys.
 *   acc       a group accumulator of a job: the sums and counts of one year and one region
 *             (region 0: the whole plan area), job.acc[year * n_regions + region].
 *   role      what a job reads a source for: its population (POP), a RATIO's denominator
 *             (DEN), or the records matched against a register (EXISTS).
 *   consumer  a job in one role on one source: what a record of the source is fed to.
 *             Its feed_how, decided when the engine is built, says how: SUBMITTED (other
 *             plans: etl/compute/submissions.c), JOIN, PLAIN (tallied) or BY_YEAR.
 *   scope     the date or year test of a selection (zf_scope): which years a record is in.
 *   condition a zf_cond on one column (IN, NOT_IN, =, >, ...); a selection is a scope and
 *             conditions on one source.  The tests on a record are the inline functions
 *             below (scope_match, cond_value, selected).
 *   year set  the years of the run as bits of a uint32_t (at most ZF_MAX_YEARS): a
 *             record's candidate years are tested instead of every year.
 *   plain     a RATE on one source with a date or year scope and conditions that do not
 *             depend on the year: not fed record by record but tallied (see tally).
 *   class     the outcome of all the conditions of a source's plains on one record, as one
 *             small number (below CLASSES_MAX); a plain's conditions are a bit mask over the
 *             classes (plain.where, plain.in_num).
 *   dim       (class_dim) one factor of the class: a vocabulary column (one slot per code
 *             the conditions name, one for any other value, one for absent) or one other
 *             condition (holds or not); class = sum of slot × stride over the dims.
 *   tally     the plains of a source with one scope: cells by year, town and class, each
 *             the count of records and the sums of the summed columns; the plains'
 *             accumulators are filled from the cells at the end (zf_eng_flush_tallies).
 *   sum_prog  a plain's sum compiled to the tally's columns (added ones, then subtracted).
 *   source_feed  how one source's records are fed: its consumers (all), those not tallied
 *             (slow), its dims and its tallies.
 *   join      a RATE with `exists`: the population is a register (a source keyed by a
 *             column), the numerator the register rows matched by a record of another
 *             source in the same year.
 *   register  (join_reg) the keys of a join's register rows, shared by the jobs with the
 *             same population (up to REG_JOBS_MAX); each key's join_entry holds the years
 *             it is in the population and, per job, the years it was hit.
 *   hit       a matching record's years for one job; hits are queued in a ring of
 *             HITS_QUEUED (join_reg.queue) and marked a few records later, when the
 *             prefetched entry is in the cache.
 *   orphan    a record whose join key is not in its register (reported, not an error);
 *             exists_memo spares a record's repeated lookups into the same register.
 *   origin    the file and line a record came from, for traces.
 *   trace     one value being explained (zf_engine_trace): every consumer is then fed by
 *             year and the records behind that value are reported.
 *   state     a source's zf_source_state: a value needing a missing or failed source has
 *             no data. */
#ifndef ZF_ENGINE_INTERNAL_H
#define ZF_ENGINE_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "zf_engine.h"
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
    FEED_JOIN,                    /* a RATE with exists: zf_eng_feed_join */
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
 * filled from the cells at the end (zf_eng_flush_tallies): a plain's conditions are a bit mask
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
    const struct job *failed;     /* the consumer a failed record stopped at (NULL: a tally);
                                     written by the one thread feeding this source */
} source_feed;

struct zf_engine {
    zf_run *run;
    const zf_defs *defs;
    size_t n_years;
    int year[ZF_MAX_YEARS];
    int32_t start[ZF_MAX_YEARS], ref[ZF_MAX_YEARS];
    int32_t plan_start;           /* the first plan year's 01-01 (scope since_plan_start) */
    int32_t day0;                 /* in_year[d - day0]: the years whose window [Y-01-01, R] */
    uint32_t *in_year;            /* holds day d, for every day of the run's windows */
    size_t n_days;
    job *jobs;
    size_t n_jobs;
    join_reg *regs;               /* as many as jobs, n_regs of them used */
    size_t n_regs;
    source_feed *feeds;           /* per source */
    /* zf_engine_testing_fail: this job's records fail.  In every build, so that the struct is
     * the same for the objects built with ZF_TESTING and those built without */
    const struct job *testing_fail;
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

/* ---- between the files -------------------------------------------------- */

/* joins.c */
ZF_MUST_CHECK zf_status zf_eng_feed_join(const zf_engine *e, const origin *o, job *j, role ro, const zf_value *v,
                                         exists_memo *m, bool *orphan);
void zf_eng_settle_orphans(const zf_engine *e, exists_memo *m, const zf_value *v, bool *orphan);
void zf_eng_mark_queued(join_reg *g);
void zf_eng_join_register(zf_engine *e, job *j);
ZF_MUST_CHECK zf_status zf_eng_make_registers(zf_engine *e);
void zf_eng_settle_join(zf_engine *e, job *j);

/* tallies.c */
__attribute__((noinline)) zf_status zf_eng_feed_tallies(const zf_engine *e, const source_feed *f,
                                                        const zf_value *v);
void zf_eng_flush_tallies(const zf_engine *e);
bool zf_eng_same_cond(const zf_cond *a, const zf_cond *b);
ZF_MUST_CHECK zf_status zf_eng_compile_feed(zf_engine *e, source_feed *f);

/* results.c */
int zf_eng_sum_scale(const zf_engine *e, size_t source, const zf_sum *s);

/* ---- per record, inline: every feeding path calls these for each record -- */

static inline bool traced(const zf_engine *e, const job *j, size_t y, int region)
{
    return e->trace && e->trace_job == j && e->trace_year == y &&
           (e->trace_region == 0 || e->trace_region == region);
}

/* ---- record tests ------------------------------------------------------- */

static inline bool scope_match(const zf_scope *s, const zf_value *v, const zf_engine *e, size_t y)
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
    case ZF_SCOPE_SINCE_PLAN_START:
        return c->present && c->i >= e->plan_start && c->i <= e->ref[y];
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

static inline bool selected(const zf_selection *s, const zf_value *v, const zf_engine *e, size_t y)
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

static inline int record_region(const job *j, const zf_value *v)
{
    if (j->n_regions <= 1)
        return -1;
    const zf_value *r = &v[j->rule->region_column];
    if (!r->present || r->i <= 0 || (size_t)r->i >= j->n_regions)
        return -1;
    return (int)r->i;
}

static inline void add(job *j, size_t y, int region, void (*fn)(acc *, const void *), const void *arg)
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

static inline void add_rate(acc *a, const void *p)
{
    const rate_arg *r = p;
    a->records++;
    a->overflow |= r->overflow;
    acc_add(a, &a->den, r->den);
    if (r->in_num)
        acc_add(a, &a->num, r->num);
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

#endif
