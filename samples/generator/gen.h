/* gen.h — internals of zf-samplegen, the seeded generator of a Yuyao data directory.
 *
 * The generator is deliberately independent of libzf (only the core error type is
 * shared): it produces the test data the library is checked against, so it must not
 * inherit the library's bugs.  All non-static symbols carry the sg_ prefix so they
 * cannot clash with libzf.a, which the Makefile links into the same binary. */
#ifndef SG_GEN_H
#define SG_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "zf_error.h"

/* ---- PRNG: xoshiro256**, seeded through splitmix64 ------------------------ */
/* Own generator (never rand()) so output depends only on --seed, --scale, --as-of. */
typedef struct sg_rng { uint64_t s[4]; } sg_rng;

void     sg_rng_seed(sg_rng *r, uint64_t seed, const char *stream);
uint64_t sg_next(sg_rng *r);
double   sg_u01(sg_rng *r);                        /* [0,1) */
int64_t  sg_range(sg_rng *r, int64_t lo, int64_t hi); /* inclusive */
bool     sg_chance(sg_rng *r, double p);
uint64_t sg_hash(uint64_t a, uint64_t b);          /* stateless mix, for per-entity facts */

/* ---- dates as days since 1970-01-01 ------------------------------------- */
int32_t sg_days(int y, int m, int d);
void    sg_civil(int32_t days, int *y, int *m, int *d);
int     sg_year_of(int32_t days);

/* ---- value forms -------------------------------------------------------- */
enum { SG_D_ISO, SG_D_SLASH, SG_D_COMPACT, SG_D_CN, SG_D_TIME, SG_D_NFORMS };
enum { SG_A_PLAIN, SG_A_FIXED, SG_A_COMMA, SG_A_FULL, SG_A_NFORMS };
enum { SG_YN_CN, SG_YN_YN, SG_YN_10, SG_YN_TF, SG_YN_NFORMS };

/* Each returns the length written; buffers of 64 bytes are always enough. */
size_t sg_fmt_date(char *buf, int32_t day, int form, sg_rng *r);
size_t sg_fmt_amount(char *buf, int64_t fen, int form);
size_t sg_fmt_int(char *buf, int64_t v, bool grouped);
const char *sg_fmt_yesno(bool v, int form, sg_rng *r);

/* Citizen ID 330281YYYYMMDDSSSC with a valid ISO 7064 MOD 11-2 check digit. */
void sg_citizen_id(char out[19], int32_t birth_day, int seq);
char sg_id_check(const char *first17);
/* 统一社会信用代码 with a valid GB 32100 check character. */
void sg_credit_code(char out[19], sg_rng *r, char dept, char kind);
char sg_credit_check(const char *first17); /* 0 when a character is outside the alphabet */

/* Injective map from a person index to a citizen ID born in [day0, day0+span). */
void sg_person_id(char out[19], uint64_t idx, int32_t day0, int32_t span, uint64_t salt);

/* ---- schema ------------------------------------------------------------- */
typedef enum sg_type {
    SG_TEXT, SG_DATE, SG_AMOUNT, SG_INT, SG_YESNO, SG_CID, SG_CREDIT, SG_REGION, SG_ENUM
} sg_type;

typedef struct sg_col {
    const char *name;
    sg_type type;
    bool required;
    const char *const *vocab; /* SG_ENUM, NULL-terminated */
    bool pos_int;             /* SG_INT with bound >= 1 (家庭人口) */
} sg_col;

/* Reason codes of the spec table, in its order. */
typedef enum sg_reason {
    R_MISSING, R_BAD_DATE, R_DATE_RANGE, R_BAD_AMOUNT, R_NEG_AMOUNT, R_BAD_INT, R_OUT_OF_RANGE,
    R_BAD_YESNO, R_BAD_ID, R_BAD_ID_SUM, R_BAD_CREDIT, R_UNKNOWN_ENUM, R_UNKNOWN_REGION,
    R_INCONSISTENT, R_DUPLICATE, R_NREASONS
} sg_reason;
extern const char *const sg_reason_names[R_NREASONS];

#define SG_MAXCOL 16

typedef struct sg_srcdef {
    const char *stem;
    const sg_col *cols;
    int ncols;
    const sg_reason *bad;   /* reasons to inject; a reason may repeat to weight it */
    int nbad;
    double bad_share;       /* bad records per good record */
    int min_per_reason;     /* at least this many of every listed reason */
} sg_srcdef;

/* ---- records ------------------------------------------------------------ */
typedef enum sg_kind { K_TEXT, K_NUM, K_SERIAL, K_NULL } sg_kind;

typedef struct sg_field {
    const char *s;  /* text form (CSV, JSON, XLSX text cell); "" = empty */
    sg_kind kind;   /* K_NUM / K_SERIAL: XLSX numeric cell holding num; K_NULL: JSON null */
    double num;
} sg_field;

typedef struct sg_rec {
    sg_field f[SG_MAXCOL]; /* spec column order; index ncols is the extra column, if any */
    char pool[4096];
    size_t used;
} sg_rec;

void        sg_rec_clear(sg_rec *r);
const char *sg_rec_str(sg_rec *r, int i, const char *s); /* copy s into the pool, set as text */
void        sg_rec_copy(sg_rec *dst, const sg_rec *src);

/* ---- output files ------------------------------------------------------- */
typedef enum sg_fmt { F_CSV, F_JSON, F_JSONL, F_XLSX } sg_fmt;
typedef enum sg_enc { E_UTF8, E_UTF8_BOM, E_GB18030 } sg_enc;

typedef struct sg_layout {
    sg_fmt fmt;
    sg_enc enc;
    bool crlf;
    bool quote_all;
    const int *order;       /* output column order (spec indexes; ncols = the extra column) */
    int norder;             /* 0 = spec order, no extra column */
    const char *extra_name; /* header of the extra column */
} sg_layout;

typedef struct sg_out sg_out; /* one open file (writer.c) */

typedef struct sg_truth {
    const char *source;
    char *file;
    long line;
    const char *column;
    const char *reason;
    char *value; /* 户编号, for the orphans list */
} sg_truth;

typedef struct sg_list { sg_truth *v; size_t n, cap; } sg_list;

typedef struct sg_gen {
    const char *dir;
    uint64_t seed;
    double scale;
    int32_t asof;          /* days */
    int asof_year;
    int first_year;        /* 2022 */
    sg_list truth, orphans;
    int64_t rows_total;
    bool quiet;
    /* households of relief_households, shared with later sources */
    struct sg_hh *hh;
    size_t nhh;
} sg_gen;

typedef struct sg_hh {
    uint32_t no;       /* 户编号 = "HH" + no */
    uint8_t town, cat, size, pad;
    int32_t in, out;   /* out = INT32_MAX when still included */
} sg_hh;

/* A source being written: its files, injection state and saved records. */
typedef struct sg_src {
    sg_gen *g;
    const sg_srcdef *def;
    sg_layout lay;
    sg_out *out;
    char *fname;          /* current file name relative to dir */
    sg_rng rng;           /* bad-record decisions: a separate stream */
    int rr;               /* round-robin position in def->bad */
    int count[R_NREASONS];
    sg_rec saved, tmp;     /* saved: a reservoir sample of earlier good records */
    bool have_saved;
    long n_good, n_bad, n_clone;
    long files;
} sg_src;

zf_status sg_src_open(sg_src *s, sg_gen *g, const sg_srcdef *def, const sg_layout *lay,
                      const char *fname, zf_error *err);
zf_status sg_src_emit(sg_src *s, sg_rec *rec, zf_error *err);         /* a good record */
zf_status sg_src_orphan(sg_src *s, sg_rec *rec, int hh_col, zf_error *err);
zf_status sg_src_close_file(sg_src *s, zf_error *err);
zf_status sg_src_finish(sg_src *s, zf_error *err);  /* tops up bad records, closes */
void      sg_src_free(sg_src *s);

zf_status sg_list_add(sg_list *l, const char *source, const char *file, long line,
                      const char *column, const char *reason, const char *value);
void      sg_list_free(sg_list *l);

/* ---- the sources -------------------------------------------------------- */
zf_status sg_generate_all(sg_gen *g, zf_error *err);

/* Town reference */
#define SG_NTOWNS 21
extern const char *const sg_towns[SG_NTOWNS];

#endif
