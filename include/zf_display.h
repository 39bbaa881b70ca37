/* zf_display.h — how many digits a value is shown with, the one rule every writer
 * (workbook, page, chart labels, terminal) follows: a value is never shown rounded onto
 * or across the target it is judged against.  0.09994 against 10% is shown 9.994%, not
 * 10.0%; 1.2953 against 1.3 is 1.295, not 1.30; a value that meets its target exactly
 * keeps the usual digits.  Exact arithmetic on fractions decides; doubles never do. */
#ifndef ZF_DISPLAY_H
#define ZF_DISPLAY_H

#include "zf_defs.h"
#include "zf_frac.h"
#include "zf_run.h"

/* The most digits any writer shows after the point: beyond that a shortfall is not one a
 * reader of a report can act on, and results.csv has the exact value. */
#define ZF_DISPLAY_MAX_PLACES 10

/* The fewest decimals p >= places (and <= ZF_DISPLAY_MAX_PLACES) such that v rounded
 * half away from zero to p decimals lies strictly on the same side of `mark` as v (or on
 * it when v equals it).  v and mark are in the unit shown (percentages already × 100). */
int zf_display_places(zf_frac v, zf_frac mark, int places);
/* The same up to max_places (results.csv's machine text goes further than people need). */
int zf_display_places_max(zf_frac v, zf_frac mark, int places, int max_places);

/* The decimals of a row's value as shown (in percent for a rate): the usual ones of its
 * kind (1 for a rate, 2 below 1%, 2 for an amount, 0 for a count), more where the row's
 * target (and a range's upper bound) needs them. */
int zf_result_places(const zf_result *r);

/* ---- targets as shown ------------------------------------------------------------ */

/* The direction a reader must see beside a target's number: "≥", ">", "≤", "<" (a
 * lower-is-better indicator reads "≤0.9%", so "0.92% 未达标" makes sense); "" for a word,
 * a range ("1～6") or a target that is another series, whose own text says it. */
const char *zf_target_sign(const zf_target *t);
/* The decimals of a target's number as published, in the unit shown (82% → 0, 0.9% → 1,
 * 14700 → 0, an interpolated 12333.333… → 2), at most 4. */
int zf_target_places(const zf_target *t);
/* A target as every writer shows it: direction and number ("≥82%", "≤0.9%", "<0.9%",
 * ">18", "≥16000"), an interpolated one marked "（插值）", else the published text
 * ("实现", "1～6"); "" without a target. */
const char *zf_target_label(const zf_target *t, char *buf, size_t size);

#endif
