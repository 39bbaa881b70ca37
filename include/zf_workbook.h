/* zf_workbook.h — the Excel workbook the task-force office reads: one file per plan and
 * year, with the overview (targets as numbers with their direction, 差距, 完成率, last year
 * and 同比), the table per responsible unit, the trend over the plan years and its native
 * line charts, the town breakdown, the data quality, the rejected records, the rows that
 * are not records, the policy linkage checks, the reading notes and 口径, and the run
 * manifest.  Every sheet prints on A4 at 8 pt or more with its header repeated, the
 * 制表单位 and 制表日期 in the footer.  Values only (no formulas), so any reader sees the
 * numbers without recalculating; the same run gives byte-identical files. */
#ifndef ZF_WORKBOOK_H
#define ZF_WORKBOOK_H

#include <stddef.h>

#include "zf_error.h"
#include "zf_run.h"

/* Write the workbook of plan year index year_index (an index into plan.years, as in
 * zf_result.year) to path, replacing any file there.  The document's creation time is the
 * run's as-of date, so two writes of the same run are byte-identical. */
ZF_MUST_CHECK zf_status zf_workbook_write(const zf_run *run, size_t year_index, const char *path, zf_error *err);

#endif
