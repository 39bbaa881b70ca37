/* zf_defs.h — plans, sources and region trees, loaded from JSON under templates/.
 *
 * Definitions are data: a new plan, a renamed column or another county is a file,
 * not a C change.  The formats are documented in docs/definitions.md.  Everything
 * here is allocated in the zf_defs arena and freed with zf_defs_free(). */
#ifndef ZF_DEFS_H
#define ZF_DEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_arena.h"
#include "zf_error.h"

/* ---- regions ------------------------------------------------------------ */

typedef struct zf_region {
    const char *name;
    int parent;          /* index into zf_region_tree.regions, -1 for the root */
    int depth;           /* 0 for the root */
} zf_region;

typedef struct zf_region_tree {
    const char *id;
    zf_region *regions;  /* pre-order: root first, children in reference order */
    size_t n_regions;
    const char *sublevel; /* what the root's children are called in reports ("乡镇街道", "设区市");
                             "下级地区" when the file does not say */
} zf_region_tree;

/* Index of the region called name, or -1. */
int zf_region_find(const zf_region_tree *t, const char *name, size_t len);

/* ---- sources ------------------------------------------------------------ */

typedef enum zf_coltype {
    ZF_COL_TEXT,
    ZF_COL_DATE,
    ZF_COL_AMOUNT,       /* money or measure with at most 2 decimals, kept as integer hundredths */
    ZF_COL_INTEGER,
    ZF_COL_YESNO,
    ZF_COL_CITIZEN_ID,   /* 身份证号 */
    ZF_COL_CREDIT_CODE,  /* 统一社会信用代码 */
    ZF_COL_REGION,       /* a name in the plan's region tree */
    ZF_COL_ENUM,
    ZF_COL_DECIMAL,      /* exact decimal, up to 6 decimals (aggregate submissions) */
    ZF_COL_TEXT_OR_DECIMAL,
    ZF_COLTYPE_COUNT
} zf_coltype;

typedef struct zf_column {
    const char *name;      /* header text, matched exactly after trimming */
    zf_coltype type;
    bool required;
    bool personal;         /* masked in every output (citizen IDs, household numbers) */
    const char **vocab;    /* ZF_COL_ENUM: the allowed words */
    size_t n_vocab;
    bool has_min, has_max; /* ZF_COL_INTEGER bounds */
    int64_t min, max;
    bool reporting_date;   /* ZF_COL_DATE "date_kind": "reporting": the day a figure was filed
                              (填报日期), not the day the event happened.  A latest or submitted
                              rule picking rows by it counts what was filed by the run's as-of
                              date, since a year's figures are filed after the year ends. */
} zf_column;

/* A record-level check: sum(left) must not exceed sum(right), else inconsistent_amounts. */
typedef struct zf_record_check {
    size_t *left;  size_t n_left;   /* column indexes */
    size_t *right; size_t n_right;
} zf_record_check;

typedef enum zf_source_kind { ZF_SOURCE_FILE, ZF_SOURCE_POSTGRES } zf_source_kind;

typedef struct zf_source {
    const char *id;          /* file stem, e.g. "medical_settlements" */
    const char *title;       /* 医疗费用结算明细 */
    const char *unit;        /* delivering department */
    zf_source_kind kind;
    const char *encoding;    /* "auto" (default), "utf-8" or "gb18030" */
    const char *conninfo;    /* ZF_SOURCE_POSTGRES */
    const char *query;       /* ZF_SOURCE_POSTGRES */
    zf_column *columns;      /* in the order of the spec: checks run in this order */
    size_t n_columns;
    size_t *key;             /* column indexes of the unique key */
    size_t n_key;
    zf_record_check *checks;
    size_t n_checks;
    long header_row;         /* the header's line/row in every file; 0: found (zf_reader_opts) */
} zf_source;

typedef struct zf_source_set {
    const char *id;
    zf_source *sources;
    size_t n_sources;
} zf_source_set;

/* Index of column name in s, or -1. */
int zf_source_column(const zf_source *s, const char *name);
/* Index of the source with that id, or -1. */
int zf_sources_find(const zf_source_set *set, const char *id);

/* ---- plans -------------------------------------------------------------- */

/* A condition on one column of a record, evaluated for a year Y with reference date R. */
typedef enum zf_cond_op {
    ZF_OP_IN,          /* value is one of words (enum/text/yes-no: "是"/"否") */
    ZF_OP_NOT_IN,
    ZF_OP_EQ_NUM,      /* integer or amount column == number (amount in hundredths) */
    ZF_OP_GT_NUM,      /* > number */
    ZF_OP_PRESENT_LE_R,/* date present and <= R */
    ZF_OP_EQ_YEAR,     /* integer column == Y */
    ZF_OP_EQ_PREV_YEAR /* integer column == Y-1 (used internally by growth) */
} zf_cond_op;

typedef struct zf_cond {
    size_t column;
    zf_cond_op op;
    const char **words; size_t n_words;  /* as written in the plan */
    int64_t *codes; size_t n_codes;       /* the words resolved at load time: vocabulary
                                             index (ENUM), 1/0 (YESNO), region index (REGION);
                                             TEXT columns compare the words themselves */
    uint64_t code_bits;                   /* the codes as bits when all are below 64 (a
                                             vocabulary of more is rare): one shift per test */
    bool has_code_bits;
    int64_t number;                       /* EQ_NUM / GT_NUM, in the column's unit
                                             (hundredths for AMOUNT) */
} zf_cond;

/* Which records belong to year Y. */
typedef enum zf_scope_kind {
    ZF_SCOPE_ALL,        /* every record (e.g. a register scanned for the latest row) */
    ZF_SCOPE_IN_YEAR,    /* date column in [Y-01-01, R] */
    ZF_SCOPE_YEAR_COL,   /* integer column == Y */
    ZF_SCOPE_ACTIVE_AT_R,/* start <= R and (end empty or end > R) */
    ZF_SCOPE_DURING_YEAR,/* start <= R and (end empty or end >= Y-01-01) */
    ZF_SCOPE_ON_OR_BEFORE_R,/* date column <= R */
    ZF_SCOPE_SINCE_PLAN_START /* date column in [first plan year-01-01, R]: what has
                                accumulated under the plan (累计, 5年间) */
} zf_scope_kind;

typedef struct zf_scope {
    zf_scope_kind kind;
    size_t column;       /* the date or year column */
    size_t end_column;   /* ACTIVE_AT_R / DURING_YEAR: the end date (optional column) */
} zf_scope;

/* A set of records of one source: source + scope + conditions. */
typedef struct zf_selection {
    size_t source;       /* index into the plan's source set */
    zf_scope scope;
    zf_cond *where; size_t n_where;
} zf_selection;

/* A sum of amount columns, each with a sign (+1 / -1), times scale (a power of ten). */
typedef struct zf_sum {
    size_t *columns; int *signs; size_t n_terms;  /* n_terms == 0: count records */
    int64_t scale;       /* multiply the sum, e.g. 10000 for 亿元 → 万元; default 1 */
} zf_sum;

typedef enum zf_rule_kind {
    ZF_RULE_RATE,        /* numerator / denominator over one selection (counts or sums) */
    ZF_RULE_RATIO,       /* sum over selection A / sum over selection B (may be two sources) */
    ZF_RULE_COUNT,       /* records of the selection (distinct by a column if given) */
    ZF_RULE_LATEST,      /* the row with the latest date <= R (<= as-of for a reporting date);
                            its amount × factor, or its word */
    ZF_RULE_GROWTH,      /* pc(Y) / pc(Y-1) - 1 with pc = sum(a) / sum(b) over rows of the year */
    ZF_RULE_COVERAGE,    /* regions of the tree's leaf level with at least one selected record */
    ZF_RULE_SUBMITTED,   /* aggregate submissions of a region (zf_submitted, other plans) */
    ZF_RULE_SUM,         /* Σ amount columns over the selection (慈善信托规模, 社会捐赠额): an amount */
    ZF_RULE_KIND_COUNT
} zf_rule_kind;

/* "rate", "ratio", ... as a plan file spells the kind. */
const char *zf_rule_kind_name(zf_rule_kind k);

typedef enum zf_value_kind {
    ZF_VALUE_RATE,       /* a fraction, shown as a percentage */
    ZF_VALUE_AMOUNT,     /* hundredths (fen), shown with two decimals */
    ZF_VALUE_COUNT,
    ZF_VALUE_WORD        /* a milestone's status word */
} zf_value_kind;

/* ---- other plans: aggregate submissions and their roll-up over the region tree ---- */

/* How a parent region without its own report gets a value from its children. */
typedef enum zf_rollup {
    ZF_ROLLUP_SUM,       /* sum of components: Σ分子 / Σ分母 (or Σ数值), never a mean of rates */
    ZF_ROLLUP_MIN,       /* the lowest child */
    ZF_ROLLUP_MAX,       /* the highest child */
    ZF_ROLLUP_NONE       /* not aggregated: only a region's own report */
} zf_rollup;

/* A "submitted" rule (etl/compute/submissions.c): the latest report of (plan, indicator,
 * region, year) from a source shaped like indicator_submissions, filed by the as-of date
 * when its date column is a reporting date (else dated <= R). */
typedef struct zf_submitted {
    size_t plan_col, indicator_col, year_col, num_col, den_col, value_col, date_col; /* region: rule.region_column */
    const char *plan_id;     /* the plan whose reports count (default: this plan) */
    int indicator;           /* the indicator number whose reports count (default: this one) */
    bool components;         /* value = Σ分子 / Σ分母 × factor; false: value = 数值 */
    zf_rollup rollup;
    bool growth;             /* value = v(Y) / v(Y-1) - 1 of the same region */
} zf_submitted;

typedef struct zf_rule {
    zf_rule_kind kind;
    zf_value_kind value_kind;
    zf_selection sel;        /* the population (RATE, COUNT, LATEST, GROWTH, COVERAGE),
                                or the numerator's records (RATIO) */
    /* RATE: numerator = records of sel that also meet num_where; or, with exists,
       records whose key has at least one matching record in another source. */
    zf_cond *num_where; size_t n_num_where;
    bool has_exists;
    size_t key_column;       /* column of sel.source joined on */
    zf_selection exists;     /* the other source's records; exists_key is its column */
    size_t exists_key;
    zf_sum num_sum, den_sum; /* RATE/RATIO/GROWTH sums; n_terms 0 = count */
    zf_selection den_sel;    /* RATIO: the denominator's records */
    bool has_distinct; size_t distinct_column;  /* COUNT */
    size_t value_column;     /* LATEST: the amount or word column */
    size_t date_column;      /* LATEST: the row with the latest date <= R wins (later file
                                order wins a tie); <= as-of for a reporting date */
    int64_t factor;          /* LATEST: value × factor (12 months); default 1 */
    bool by_region;          /* computed per town too (sel.source has a region column) */
    size_t region_column;
    zf_submitted *submitted; /* SUBMITTED rules only; factor (default 1) multiplies Σ分子/Σ分母 */
} zf_rule;

typedef enum zf_target_op { ZF_TARGET_GE, ZF_TARGET_GT, ZF_TARGET_LT, ZF_TARGET_LE, ZF_TARGET_WORD } zf_target_op;

typedef struct zf_target {
    const char *cell;        /* as published: "82%", ">18", "﹤0.9%", "实现"; NULL = no target */
    zf_target_op op;
    bool percent;            /* the number is a percentage */
    int64_t num, den;        /* the number as an exact fraction (82% = 82/100, 0.9% = 9/1000) */
    const char *word;        /* ZF_TARGET_WORD */
    /* other plans (etl/define/extras.c, etl/evaluate/targets.c): */
    bool explicit_op;        /* the cell writes its sign (">=", "≤", ...) */
    bool has_upper;          /* a range "1～6" or "=50%": also met only when value <= upper */
    int64_t upper_num, upper_den;
    bool interpolated;       /* not published: straight line between published points */
    bool series;             /* the value of another series (zf_indicator.series), resolved per row */
} zf_target;

/* A target that is another series: the value of indicator `indicator` in region `region`
 * (or the row's own region) of the same year, times factor, compared with op. */
typedef struct zf_target_series {
    int indicator;           /* number in this plan */
    int region;              /* region index, or -1 for the row's own region */
    zf_target_op op;
    int64_t factor_num, factor_den;
} zf_target_series;

typedef struct zf_part {
    const char *name;        /* "" for a one-part indicator */
    zf_rule rule;
} zf_part;

typedef struct zf_indicator {
    int number;
    const char *category;
    const char *name;        /* Chinese, as published */
    const char *gloss;       /* English */
    const char *definition;  /* 口径 in one Chinese line, for the workbook */
    const char **units; size_t n_units;
    zf_part *parts; size_t n_parts;
    zf_target *targets;      /* one per plan year (n_years) */
    /* other plans (docs/definitions.md): */
    zf_target baseline;      /* the plan's baseline_year value; baseline.cell NULL: none ("*") */
    bool lower_is_better;    /* an unsigned target cell means value <= target */
    unsigned levels;         /* bit d: regions at tree depth d are judged; 0 = every depth */
    bool has_series;
    zf_target_series series;
    bool interpolate;        /* null target years between published points get a straight line */
} zf_indicator;

typedef enum zf_policy_kind {
    ZF_POLICY_RATIO_EQ,      /* a == factor × b (standards in effect at R) */
    ZF_POLICY_RATIO_GE,      /* a >= factor × b */
    ZF_POLICY_RATIO_LE,      /* a <= factor × b */
    ZF_POLICY_NOT_LOWER,     /* indicator value of Y >= value of Y-1 */
    ZF_POLICY_GROWTH_GE      /* a(Y)/a(Y-1) - 1 >= factor × (b(Y)/b(Y-1) - 1): 增幅不低于 */
} zf_policy_kind;

typedef struct zf_policy_rule {
    const char *id;
    const char *title;       /* 特困供养标准 = 1.7 × 低保标准 */
    zf_policy_kind kind;
    /* a and b are indicators (by number), or standards: rows of a source's LATEST
       rule filtered by a word (source, category column, word, amount column, date column). */
    int a_indicator, b_indicator;      /* 0 when a standard is used */
    zf_rule a_rule, b_rule;            /* LATEST rules when not indicators */
    int64_t factor_num, factor_den;    /* 1.7 = 17/10 */
    /* "cap": factor × b, but never more than the cap (低保边缘 = 2 × 低保, at most the
       minimum wage: Zhejiang 14th); an indicator or a latest rule like a and b */
    bool has_cap;
    int cap_indicator;
    zf_rule cap_rule;
    /* "per_region": judged in every region where the operands have values (每个设区市、
       县(市、区)的标准), not only the top one; operands must then be indicators */
    bool per_region;
} zf_policy_rule;

typedef struct zf_plan {
    const char *id;          /* "yuyao" */
    const char *title;
    const char *office;      /* 制表单位: the office that makes the report; NULL: not said */
    const char *region_tree_id;
    const char *source_set_id;
    int *years; size_t n_years;
    zf_indicator *indicators; size_t n_indicators;
    zf_policy_rule *policies; size_t n_policies;
    int baseline_year;       /* 0: the plan publishes no baselines */
    bool interpolate;        /* default of zf_indicator.interpolate */
} zf_plan;

/* Everything a run needs, loaded together so references can be checked. */
typedef struct zf_defs {
    zf_arena arena;
    zf_plan plan;
    zf_source_set sources;
    zf_region_tree regions;
    char plan_sha256[65];    /* of the plan, source and region files, concatenated */
    /* the plan, source and region files relative to the templates directory
       ("plans/yuyao.json"), with their own hashes: the manifest and the archive list them */
    char def_files[3][160];
    char def_sha256[3][65];
} zf_defs;

/* Load templates/plans/<plan_id>.json and the source set and region tree it names
 * from templates_dir.  On error, *out is NULL and err says file, line, column and
 * what is wrong (unknown source, unknown column, bad target cell, ...). */
ZF_MUST_CHECK zf_status zf_defs_load(zf_defs **out, const char *templates_dir, const char *plan_id, zf_error *err);
void zf_defs_free(zf_defs *defs);

/* Parse a published target cell. */
ZF_MUST_CHECK zf_status zf_target_parse(zf_target *out, const char *cell, zf_error *err);

const char *zf_coltype_name(zf_coltype t);

#endif
