/* zf_submissions.h — compute: the values of a "submitted" rule (other plans).
 *
 * Each region reports the components (分子, 分母) or the value (数值) of an indicator for
 * a year; a later 填报日期 supersedes an earlier one.  The reports that count are those
 * filed on or before the run's as-of date when the source declares 填报日期 a reporting
 * date ("date_kind": "reporting": a year is reported after it ends), else those dated on
 * or before the year's reference date R.  A region without its own report gets a value
 * from its children by the rule's roll-up (sum of components, min, max; none: no value),
 * which needs every child to have one.  The engine keeps one store per submitted rule
 * (etl/compute/engine.c); memory grows with years × regions, not with records (plus a
 * date per superseded report, for the run summary). */
#ifndef ZF_SUBMISSIONS_H
#define ZF_SUBMISSIONS_H

#include "zf_defs.h"
#include "zf_run.h"
#include "zf_value.h"

typedef struct zf_subm zf_subm;

/* A store for rule (kind ZF_RULE_SUBMITTED) of defs, for a run as of as_of. */
ZF_MUST_CHECK zf_status zf_subm_new(zf_subm **out, const zf_defs *defs, const zf_rule *rule, int32_t as_of);
void zf_subm_free(zf_subm *s);

/* One accepted record of the rule's source (any plan, indicator or year: the store picks
 * its own).  file must outlive the store (the run's file names do). */
ZF_MUST_CHECK zf_status zf_subm_feed(zf_subm *s, const zf_value *values, const char *file, long line);

/* The row of calendar year `year` and region index `region`: numerator, denominator,
 * value (or nodata), records.  The first call settles the roll-up. */
void zf_subm_result(zf_subm *s, int year, int region, zf_result *res);

/* The own report behind (year, region) and, for a rolled-up value, those of the regions
 * below it that went into it: fn(ctx, file, line, region) for each, in tree order. */
void zf_subm_sources(zf_subm *s, int year, int region,
                     void (*fn)(void *ctx, const char *file, long line, int region), void *ctx);

/* The reports of (year, region)'s own report that it superseded (known at the cutoff,
 * earlier 填报日期): fn(ctx, superseded date, winning date), oldest first. */
void zf_subm_superseded(const zf_subm *s, int year, int region,
                        void (*fn)(void *ctx, int32_t date, int32_t by_date), void *ctx);

#endif
