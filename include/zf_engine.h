/* zf_engine.h — compute: turn a stream of accepted records into the numerators,
 * denominators and values of every indicator, part, year and region of a plan.
 *
 * The engine is driven by the plan's rules (zf_rule), not by indicator-specific code.
 * Since every year's reference date is known before the first record arrives, each
 * record is judged against every year at once and only the group accumulators are
 * kept: memory grows with indicators × years × regions (plus the keys of joins and
 * distinct counts, and the tallies of plain rates: years × regions × condition classes ×
 * summed columns per source), never with the number of records. */
#ifndef ZF_ENGINE_H
#define ZF_ENGINE_H

#include <stdbool.h>

#include "zf_defs.h"
#include "zf_run.h"
#include "zf_value.h"

typedef struct zf_engine zf_engine;

typedef enum zf_source_state {
    ZF_SOURCE_OK,        /* read (possibly with rejects) */
    ZF_SOURCE_MISSING,   /* no file for it */
    ZF_SOURCE_FAILED     /* a file of it could not be read */
} zf_source_state;

/* run->defs, run->years and run->as_of must be set. */
ZF_MUST_CHECK zf_status zf_engine_new(zf_engine **out, zf_run *run, zf_error *err);
void zf_engine_free(zf_engine *e);

/* Whether any rule reads source s (others need not be read for computing). */
bool zf_engine_uses(const zf_engine *e, size_t source);

/* The order in which sources must be fed: a register that another source is joined to
 * comes before it, so that orphans are known as the joined records stream by.
 * Fills order[0 .. n_sources-1]. */
void zf_engine_source_order(const zf_engine *e, size_t *order);

/* One accepted record of source s (values in the source's column order).  *orphan is set
 * when the record refers (by a join key) to a key its register does not have. */
ZF_MUST_CHECK zf_status zf_engine_feed(zf_engine *e, size_t source, const zf_value *values, bool *orphan);

void zf_engine_set_state(zf_engine *e, size_t source, zf_source_state state);

/* The same as zf_engine_set_origin + zf_engine_feed, without touching the engine's origin:
 * records of sources of different groups (zf_engine_source_groups) may be fed this way by
 * different threads at the same time. */
ZF_MUST_CHECK zf_status zf_engine_feed_at(zf_engine *e, size_t source, const zf_value *values, const char *file,
                                          long line, bool *orphan);

/* After zf_engine_feed_at of source failed with st: what it was computing, for the message
 * ("while computing indicator 9 (…, a rate rule) from medical_settlements: out of memory"),
 * into buf. */
const char *zf_engine_failure(const zf_engine *e, size_t source, zf_status st, char *buf, size_t size);

#ifdef ZF_TESTING
/* The next record fed to indicator's part fails as if memory ran out (a job not tallied:
 * the engine's slow path).  False when the plan has no such part. */
bool zf_engine_testing_fail(zf_engine *e, size_t indicator, size_t part);
#endif

/* Sources read by one rule (a ratio's two sources, a register and the source joined to it)
 * form a group; the accumulators of different groups never overlap.  Fills group[s] with
 * the smallest source index of s's group.  Returns false when feeding must stay on one
 * thread (a value is being traced). */
bool zf_engine_source_groups(const zf_engine *e, size_t *group);

/* Append the result rows (values only, not yet judged) to run->results, sorted as
 * results.csv, and the policy-rule operands for zf_evaluate. */
ZF_MUST_CHECK zf_status zf_engine_finish(zf_engine *e, zf_run *run, zf_error *err);

/* Where the next fed record comes from (for orphans and traces). */
void zf_engine_set_origin(zf_engine *e, const char *file, long line);

/* ---- tracing: the records behind one value ------------------------------ */

typedef enum zf_trace_role {
    ZF_TRACE_DENOMINATOR,   /* in the population only */
    ZF_TRACE_NUMERATOR,     /* in the numerator only (a ratio's numerator, a count) */
    ZF_TRACE_BOTH,          /* in the population and in the numerator */
    ZF_TRACE_PREVIOUS_YEAR, /* growth: a record of Y-1 */
    ZF_TRACE_CHOSEN         /* latest: the row whose value is reported */
} zf_trace_role;

typedef struct zf_trace_row {
    zf_trace_role role;
    size_t source;
    const char *file;
    long line;
    const zf_value *values;   /* the record, or NULL for a register row settled at the end */
    const char *key;          /* the join key when values is NULL */
    size_t key_len;
    int64_t num_amount, den_amount;   /* what the record adds (1 for a counted record) */
    int num_scale, den_scale;
} zf_trace_row;

typedef void (*zf_trace_fn)(void *ctx, const zf_trace_row *row);

/* Report every record that goes into indicator part (ind, part), plan year index `year`,
 * region (0 = the top region) to fn, while feeding and at zf_engine_finish. */
ZF_MUST_CHECK zf_status zf_engine_trace(zf_engine *e, size_t ind, size_t part, size_t year, int region,
                                        zf_trace_fn fn, void *ctx);

/* The value of a policy rule's standard (a LATEST rule) for year index y, if any. */
bool zf_engine_policy_value(const zf_engine *e, size_t policy, int which, size_t year, zf_frac *out);

#endif
