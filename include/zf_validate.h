/* zf_validate.h — validate whole records of one source: column checks in the order of
 * the source's columns, then the record checks (inconsistent_amounts), then the key
 * (duplicate_key: the first accepted record wins).  One validator per source keeps the
 * keys seen across all the source's files; memory grows with the keys only. */
#ifndef ZF_VALIDATE_H
#define ZF_VALIDATE_H

#include "zf_defs.h"
#include "zf_reader.h"
#include "zf_value.h"

typedef struct zf_validator zf_validator;

typedef struct zf_verdict {
    zf_reason reason;      /* ZF_REASON_NONE: accepted */
    size_t column;         /* the offending column (for duplicate_key: the key's first column) */
} zf_verdict;

ZF_MUST_CHECK zf_status zf_validator_new(zf_validator **out, const zf_source *src, const zf_region_tree *regions,
                                         int max_year, zf_error *err);
void zf_validator_free(zf_validator *v);

/* Check a record (cells in the source's column order; present[i] false when column i
 * is absent from the file's header).  On acceptance values[] is filled and the key is
 * remembered.  serials: how the file's number cells hold dates (zf_reader_serial_dates).
 * present may be NULL: all columns are in the header.  Returns ZF_ERR_NOMEM only; a rejection
 * is a verdict, not an error. */
ZF_MUST_CHECK zf_status zf_validator_check(zf_validator *v, const zf_cell *cells, const bool *present,
                                           zf_serial_dates serials, zf_value *values, zf_verdict *verdict);

/* Whether an accepted record has this key (used for joins and orphans).  key is the
 * canonical text of zf_value_canonical() of each key column, joined by 0x1F; for a
 * one-column TEXT key (户编号) that is simply the trimmed text. */
bool zf_validator_has_key(const zf_validator *v, const char *key, size_t len);

size_t zf_validator_key_count(const zf_validator *v);

#endif
