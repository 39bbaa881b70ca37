/* zf_record.h — model: what every stage and every output shares about a record.
 *
 * A validated record is one typed value per column; a refused one has a reason (a code
 * of ../shared/spec/sources.md); a row that is not a record has a kind.  Reasons and
 * kinds have a code, which the CSVs and logs carry and which never changes, and a
 * Chinese label, which every text a person reads shows beside it. */
#ifndef ZF_RECORD_H
#define ZF_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* What a clerk reads for it: "必填项为空", "日期超出范围" ...  The CSVs keep the code; every
 * text a person reads (workbook, check) shows this label, with the code beside it. */
const char *zf_reason_label(zf_reason r);
/* "必填项为空 (missing_required)": label and code, as `check` prints them. */
const char *zf_reason_both(zf_reason r, char *buf, size_t size);
/* What the column allows, for a reason that is a value outside it: "允许的取值：是、否…",
 * "有效范围：2000-01-01 至 2027-12-31" (max_year: the as-of year + 1), the integer bounds,
 * the region tree's top region for a town; "" for the other reasons or without a column. */
const char *zf_reason_hint(zf_reason r, const zf_column *col, int max_year, const char *top_region,
                           char *buf, size_t size);

typedef enum zf_row_kind {
    ZF_ROW_RECORD,   /* a record (accepted or rejected) */
    ZF_ROW_TITLE,    /* above the header: a title, a 填报单位/日期 line */
    ZF_ROW_BLANK,    /* nothing in any cell (commas only) */
    ZF_ROW_TOTAL,    /* 合计, 小计, 总计 */
    ZF_ROW_NOTE,     /* 制表人, 审核人, 填表说明, 备注, 注： … */
    ZF_ROW_KINDS
} zf_row_kind;

/* The Chinese name of a kind for people ("合计行"), and its code for logs ("total"). */
const char *zf_row_kind_name(zf_row_kind k);
const char *zf_row_kind_code(zf_row_kind k);

/* A validated value.  i holds, by column type:
 *   DATE: days since 1970-01-01;  AMOUNT: hundredths;  INTEGER: the integer;
 *   YESNO: 1 or 0;  ENUM: index into the vocabulary;  REGION: index into the region tree;
 *   DECIMAL / TEXT_OR_DECIMAL (when numeric): millionths.
 * s/len is the trimmed text for every type (it points into the reader's buffer). */
typedef struct zf_value {
    bool present;
    bool numeric;      /* TEXT_OR_DECIMAL: i holds a number */
    int64_t i;
    const char *s;
    size_t len;
} zf_value;

#endif
