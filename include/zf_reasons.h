/* zf_reasons.h — validate: the reason codes of rejected records, in one table.  Each code
 * (sources.md: "missing_required", "unknown_enum", ...) has the Chinese label a person reads
 * and, for the reasons that are a value outside what a column allows, a hint that says what
 * it allows.  The CSVs keep the code; every text a person reads (the workbook, `zhongfu
 * check`, the page) shows the label with the code beside it: "取值不在规定选项内（unknown_enum）". */
#ifndef ZF_REASONS_H
#define ZF_REASONS_H

#include <stddef.h>

#include "zf_defs.h"

/* The first year a date may have (sources.md); the last is the as-of year + 1. */
#define ZF_DATE_MIN_YEAR 2000

typedef enum zf_reason {
    ZF_REASON_NONE = 0,
    ZF_REASON_MISSING_REQUIRED,
    ZF_REASON_BAD_DATE,
    ZF_REASON_DATE_OUT_OF_RANGE,
    ZF_REASON_BAD_AMOUNT,
    ZF_REASON_NEGATIVE_AMOUNT,
    ZF_REASON_BAD_INTEGER,
    ZF_REASON_OUT_OF_RANGE,
    ZF_REASON_BAD_YES_NO,
    ZF_REASON_BAD_ID,
    ZF_REASON_BAD_ID_CHECKSUM,
    ZF_REASON_BAD_CREDIT_CODE,
    ZF_REASON_UNKNOWN_ENUM,
    ZF_REASON_UNKNOWN_REGION,
    ZF_REASON_INCONSISTENT_AMOUNTS,
    ZF_REASON_DUPLICATE_KEY,
    ZF_REASON_BAD_DECIMAL,
    ZF_REASON_COUNT
} zf_reason;

/* "missing_required", ... as in the spec's table. */
const char *zf_reason_code(zf_reason r);
/* What a clerk reads for it: "必填项为空", "日期超出有效范围" ... */
const char *zf_reason_label(zf_reason r);
/* "必填项为空 (missing_required)": label and code, as `check` prints them. */
const char *zf_reason_both(zf_reason r, char *buf, size_t size);
/* What the column allows, for a reason that is a value outside it: "允许的取值：是、否…",
 * "有效范围：2000-01-01 至 2027-12-31" (max_year: the as-of year + 1), the integer bounds,
 * the region tree's top region for a town; "" for the other reasons or without a column. */
const char *zf_reason_hint(zf_reason r, const zf_column *col, int max_year, const char *top_region,
                           char *buf, size_t size);

#endif
