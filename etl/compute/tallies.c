/* tallies.c — compute: the tallies of plain rates (engine_internal.h: plain, class, dim,
 * tally).  When the engine is built: the class dims of a source's plains (choose_dims),
 * each plain's class masks and sums (add_plain), the cells (zf_eng_compile_feed).  Per
 * record: its class and the cells it adds to (zf_eng_feed_tallies).  At the end: the
 * cells into the plains' accumulators (zf_eng_flush_tallies). */

#include "engine_internal.h"

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
__attribute__((noinline)) zf_status zf_eng_feed_tallies(const zf_engine *e, const source_feed *f,
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

void zf_eng_flush_tallies(const zf_engine *e)
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
bool zf_eng_same_cond(const zf_cond *a, const zf_cond *b)
{
    return a->column == b->column && a->op == b->op && a->number == b->number && a->n_codes == b->n_codes &&
           a->n_words == b->n_words && same_strings(a->words, b->words, a->n_words) &&
           (!a->n_codes || memcmp(a->codes, b->codes, a->n_codes * sizeof *a->codes) == 0);
}

/* The dim among d[0 .. n-1] that decides condition c, or NULL. */
static class_dim *dim_of(class_dim *d, size_t n, const zf_cond *c)
{
    for (size_t m = 0; m < n; m++)
        if (vocab_cond(c) ? !d[m].cond && d[m].column == c->column
                          : d[m].cond && zf_eng_same_cond(d[m].cond, c))
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
static ZF_MUST_CHECK zf_status choose_dims(zf_engine *e, source_feed *f)
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

static ZF_MUST_CHECK zf_status compile_sum(zf_engine *e, tally *t, const zf_sum *s, sum_prog *out)
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
static ZF_MUST_CHECK zf_status add_plain(zf_engine *e, source_feed *f, const job *j, size_t n_terms)
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
zf_status zf_eng_compile_feed(zf_engine *e, source_feed *f)
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
