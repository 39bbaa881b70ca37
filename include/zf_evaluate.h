/* zf_evaluate.h — evaluate: judge every computed value against its published target
 * (达标 / 未达标 / 无数据 / 进行中 with a pro-rata provisional judgement), and check the
 * plan's policy linkage rules. */
#ifndef ZF_EVALUATE_H
#define ZF_EVALUATE_H

#include "zf_engine.h"
#include "zf_run.h"

/* Set target, outcome and provisional of every row of run->results, and fill
 * run->policies (standards are read from the engine). */
ZF_MUST_CHECK zf_status zf_evaluate(zf_run *run, const zf_engine *engine, zf_error *err);

/* Judge one value against one target (exposed for tests).  open: the year is not over;
 * elapsed/length: days of the year up to R and days in the year (pro rata for counts). */
zf_outcome zf_judge(const zf_result *r, const zf_target *t, bool open, int elapsed, int length,
                    zf_outcome *provisional);

/* The one classification of 无数据 that the exit status, the workbook and the page share:
 * true when the figure is simply not due yet (an annual figure of a year still open at
 * the as-of date), false when bad or missing input is the cause. */
bool zf_nodata_not_due(const zf_rule *rule, zf_nodata_reason why, bool open);

#endif
