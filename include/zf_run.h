/* zf_run.h — what one run computed: the results of every indicator, part, year and
 * region, the data quality of every input file, the policy-rule verdicts and the run's
 * identity.  Compute/evaluate fill it; every writer in report/ only reads it. */
#ifndef ZF_RUN_H
#define ZF_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_arena.h"
#include "zf_defs.h"
#include "zf_frac.h"
#include "zf_record.h"

typedef enum zf_outcome {
    ZF_OUTCOME_NONE = 0,      /* no judgement: a town row of a count (target is the city's) */
    ZF_OUTCOME_MET,           /* 达标 */
    ZF_OUTCOME_NOT_MET,       /* 未达标 */
    ZF_OUTCOME_NO_DATA,       /* 无数据 */
    ZF_OUTCOME_IN_PROGRESS,   /* 进行中: the year is not over */
    ZF_OUTCOME_COUNT
} zf_outcome;

/* "达标", "未达标", "无数据", "进行中", "" */
const char *zf_outcome_label(zf_outcome o);
/* The provisional verdict of a 进行中 row as every writer words it: "预计达标",
 * "预计未达标"; "" when outcome is not IN_PROGRESS or nothing was foreseen.  One wording
 * for the workbook's 预判 column and the page's badges and headline. */
const char *zf_provisional_label(zf_outcome outcome, zf_outcome provisional);

/* Why a value is missing, for the reader of the report. */
typedef enum zf_nodata_reason {
    ZF_NODATA_NONE = 0,
    ZF_NODATA_SOURCE_MISSING,   /* no file for a source the rule needs */
    ZF_NODATA_SOURCE_FAILED,    /* a file could not be read */
    ZF_NODATA_ZERO_DENOMINATOR, /* no records in the population */
    ZF_NODATA_NO_REPORT,        /* no milestone / standard / GDP row */
    ZF_NODATA_OVERFLOW,         /* a sum of the records is past what a figure can hold (int64):
                                   bad data, reported rather than wrapped into a wrong value */
    ZF_NODATA_NOT_DUE,          /* an annual figure of a year still open at the as-of date
                                   (GDP, a school year, a year-on-year growth): normal,
                                   so it does not make the run incomplete */
} zf_nodata_reason;

typedef struct zf_result {
    size_t indicator;         /* index into plan.indicators */
    size_t part;              /* index into the indicator's parts */
    size_t year;              /* index into plan.years */
    int region;               /* index into the region tree; 0 = the plan's top region */
    bool has_num, has_den;    /* rates, ratios, coverage */
    int64_t num, den;         /* exact, with num_scale / den_scale implied decimals */
    int num_scale, den_scale; /* 2 for sums of amounts, 0 for counts */
    bool has_value;
    zf_value_kind kind;
    zf_frac value;            /* RATE: the fraction; AMOUNT: fen/100; COUNT: n/1 */
    const char *word;         /* WORD (milestones) */
    const zf_target *target;  /* NULL: no target on this row (a town row of a count) */
    zf_outcome outcome;
    zf_outcome provisional;   /* for IN_PROGRESS rows: MET / NOT_MET judged pro rata */
    /* A part row's own verdict (Yuyao 7 探访关爱率): outcome/provisional carry the
       indicator's combination on every part row, as results.csv has always said; the
       readers' views show this one beside the part and the combination once. */
    zf_outcome part_outcome, part_provisional;
    bool combined;            /* outcome/provisional are the combination of several parts */
    zf_nodata_reason nodata;
    int64_t records;          /* records that went into this row (population size) */
} zf_result;

typedef struct zf_reason_count {
    zf_reason reason;
    int64_t count;
} zf_reason_count;

/* One input file (or a whole source that had no file). */
/* A row of an input that is not a record (zf_rowkind.h), as people are shown it. */
typedef struct zf_skipped_row {
    long line;                /* the sheet's own row number, or the first of a title block */
    zf_row_kind kind;
    const char *label;        /* its first non-empty cell, masked, as output text */
    const char *check;        /* a 合计 row: its sums against the records' ("" when it has none) */
    bool matches;             /* a 合计 row: every sum it carries is the records' */
} zf_skipped_row;
#define ZF_SKIPPED_SHOWN 20

typedef struct zf_input_file {
    size_t source;            /* index into defs->sources */
    const char *name;         /* relative to the data directory; "" when the source is missing;
                                 as every output shows it: bytes that are no UTF-8 as \xHH */
    const char *path;         /* the name as the directory lists it, to open the file */
    char sha256[65];
    uint64_t size;
    const char *format;       /* "csv", "xlsx", "xls", "json", "jsonl", "postgres" */
    const char *encoding;     /* "utf-8", "utf-8-bom", "gb18030", "" */
    int64_t rows_read, rows_accepted, rows_rejected;
    int64_t orphans;          /* rows that refer to a key missing from their register */
    int64_t reasons[ZF_REASON_COUNT];
    const char *status;       /* "ok", "rejects", "missing_column", "error", "missing" */
    const char *message;      /* for "error" / "missing_column": what went wrong */
    double seconds;           /* for logs and progress only, never in outputs */
    const char *spool;        /* [archive] a postgres source's rows as a file, until archived */
    long header_line;         /* CSV/XLSX: the header's line or row (after a title block) */
    int64_t rows_skipped[ZF_ROW_KINDS];   /* rows that are not records: in no other count */
    zf_skipped_row *skipped;  /* the first ZF_SKIPPED_SHOWN of them, in the run's arena */
    size_t n_skipped;
} zf_input_file;

/* A rejected record kept for the workbook (the first ZF_REJECT_SAMPLE per source);
 * all of them stream to rejects.csv. */
#define ZF_REJECT_SAMPLE 1000
typedef struct zf_reject {
    size_t source;
    const char *file;
    long line;
    const char *column;
    const char *value;        /* as rejects.csv shows it: masked, output text (zf_text.h) */
    zf_reason reason;
} zf_reject;

typedef enum zf_policy_verdict { ZF_POLICY_PASS, ZF_POLICY_FAIL, ZF_POLICY_NO_DATA } zf_policy_verdict;

typedef struct zf_policy_result {
    size_t rule;              /* index into plan.policies */
    size_t year;              /* index into plan.years */
    bool has_a, has_b;
    zf_frac a, b;             /* the two values compared (b already × factor, and capped) */
    zf_policy_verdict verdict;
    /* per_region rules: a and b are those of `region` (the first failing region in the
       tree's order, else the top region, else the first region judged); n_checked regions
       had both values and n_failed of them failed.  Other rules: region 0, 1 and 0/1. */
    int region;
    size_t n_checked, n_failed;
} zf_policy_result;

/* A region's report for a year that a later one (a correction) superseded, both filed by
 * the run's cutoff: listed in the run summary, so that a figure changed since the last
 * published run says why. */
typedef struct zf_superseded_report {
    size_t indicator;         /* index into plan.indicators */
    int year;                 /* calendar year */
    int region;               /* index into the region tree */
    int32_t date, by_date;    /* 填报日期 of the superseded report and of the one that counts */
} zf_superseded_report;

typedef struct zf_run {
    zf_arena arena;           /* everything below lives here */
    const zf_defs *defs;
    int32_t as_of;            /* day number */
    char as_of_text[11];      /* YYYY-MM-DD */
    char run_id[17];          /* 16 hex digits of the run's content hash */
    const char *version;
    size_t *years; size_t n_years;  /* indexes into plan.years that were computed */
    zf_result *results; size_t n_results;   /* sorted as results.csv */
    zf_input_file *files; size_t n_files;   /* sorted by source order, then name */
    zf_reject *rejects; size_t n_rejects;   /* the sample, in file order */
    zf_policy_result *policies; size_t n_policies;
    int64_t orphans_total;
    zf_superseded_report *superseded; size_t n_superseded;  /* results order, oldest first */
    bool incomplete;          /* some source failed or some indicator had no data */
    bool with_charts;         /* what was asked for: an audit re-run asks for the same */
    bool with_workbooks;
} zf_run;

/* Reference date R of year index y: min(Y-12-31, as_of). */
int32_t zf_run_reference(const zf_run *run, size_t year_index);
/* Whether plan year index y is still running at the as-of date. */
bool zf_run_year_open(const zf_run *run, size_t year_index);

/* The verdict of the row itself: a part's own (探访关爱率 达标 although 7 is 未达标), else
 * the row's outcome.  Views that list parts show this beside each part. */
zf_outcome zf_result_own_outcome(const zf_result *r);
zf_outcome zf_result_own_provisional(const zf_result *r);

/* An indicator's one verdict in a year and region: its parts combined (met only when every
 * part is).  Every count of indicators (page, workbook, charts, terminal) counts this, once
 * per indicator, so that they all say 27 for Yuyao.  ZF_OUTCOME_NONE: not judged there
 * (no target that year, or a level the indicator does not judge). */
zf_outcome zf_run_indicator_outcome(const zf_run *run, size_t indicator, size_t year, int region);
/* The count of the plan's indicators by that verdict at the top region; returns the total
 * (plan.n_indicators), which is also the sum of count[]. */
size_t zf_run_tally(const zf_run *run, size_t year, size_t count[ZF_OUTCOME_COUNT]);

/* The results.csv value text of a row ("" when it has none). */
const char *zf_result_value_text(const zf_result *r, char *buf, size_t size);

/* A policy verdict's rule title, and for a per_region rule which region its values are of:
 * "特困 ≥ 1.3 × 低保（渠县；10个地区中1个不符合）", "…（10个地区均符合，值为达州市）". */
const char *zf_policy_label(const zf_run *run, const zf_policy_result *p, char *buf, size_t size);
/* The value as a human reads it: "83.1%", "15,420.00", "17", "实现", "—" */
const char *zf_result_value_display(const zf_result *r, char *buf, size_t size);

#endif
