/* zf_csvout.h — write: the machine-readable outputs of outputs.md (results.csv,
 * quality.csv, rejects.csv) in UTF-8 with RFC 4180 quoting.  Downstream importers
 * depend on these columns and their order. */
#ifndef ZF_CSVOUT_H
#define ZF_CSVOUT_H

#include <stdio.h>

#include "zf_record.h"
#include "zf_run.h"

/* One field of a CSV a person opens, as output text: controls and bytes that are no UTF-8
 * as \xHH, a leading ' when a spreadsheet would take it for a formula (zf_text.h), quoted
 * only when it holds a comma or a quote. */
void zf_csv_field(FILE *f, const char *s);

ZF_MUST_CHECK zf_status zf_results_csv_write(const zf_run *run, const char *path, zf_error *err);
ZF_MUST_CHECK zf_status zf_quality_csv_write(const zf_run *run, const char *path, zf_error *err);

/* rejects.csv is streamed while the files are read; the header is written once. */
void zf_rejects_csv_header(FILE *f);
void zf_rejects_csv_row(FILE *f, const char *source, const char *file, long line,
                        const char *column, const char *value, zf_reason reason);

/* Accepted records in a clean, typed form (for the warehouse, the SQL cross-check and the
 * benchmark baselines): dates YYYY-MM-DD, amounts with two decimals, yes/no as true/false,
 * everything else as validated text; an absent value is an empty field.  Unmasked: these
 * files hold personal data and are written readable by the owner only. */
void zf_accepted_csv_header(FILE *f, const zf_source *src);
void zf_accepted_csv_row(FILE *f, const zf_source *src, const zf_value *values);

#endif
