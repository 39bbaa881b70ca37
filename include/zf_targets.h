/* zf_targets.h — evaluate: the targets of the other plans that depend on the row
 * (etl/evaluate/targets.c): the tree levels an indicator is judged at, and targets that
 * are the value of another series (Dazhou 2: not below the provincial average of the
 * same year).  Ranges ("1～6", "=50%") are judged here too. */
#ifndef ZF_TARGETS_H
#define ZF_TARGETS_H

#include <stdbool.h>

#include "zf_run.h"

/* The target of row r, given the plan's target for its year (dflt, may be NULL): NULL
 * at a tree level the indicator is not judged at; for a series target a copy in
 * run->arena whose cell shows the series value ("不低于全省同期平均水平（612.35）").
 * *unresolved is set when the series has no value (the row is then 无数据). */
const zf_target *zf_targets_row(zf_run *run, const zf_result *r, const zf_target *dflt, bool *unresolved);

/* The upper bound of a range or exact target, scaled like the target (pro rata): true
 * when v is not above it (always true without an upper bound). */
bool zf_target_upper_ok(zf_frac v, const zf_target *t, zf_frac scale);

#endif
