/* util.c — PRNG, calendar math, value forms, citizen IDs and credit codes.
 * Written here rather than taken from libzf so the generator stays an independent
 * oracle for the pipeline's parsers and check-digit validators. */
#include <string.h>

#include "gen.h"

const char *const sg_reason_names[R_NREASONS] = {
    "missing_required", "bad_date", "date_out_of_range", "bad_amount", "negative_amount",
    "bad_integer", "out_of_range", "bad_yes_no", "bad_id", "bad_id_checksum", "bad_credit_code",
    "unknown_enum", "unknown_region", "inconsistent_amounts", "duplicate_key"};

const char *const sg_towns[SG_NTOWNS] = {
    "凤山街道", "兰江街道", "梨洲街道", "阳明街道", "低塘街道", "朗霞街道", "临山镇",
    "黄家埠镇", "小曹娥镇", "泗门镇", "马渚镇", "牟山镇", "丈亭镇", "三七市镇",
    "河姆渡镇", "大隐镇", "陆埠镇", "梁弄镇", "大岚镇", "四明山镇", "鹿亭乡"};

/* ---- PRNG --------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t sg_hash(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0xD6E8FEB86659FD93ULL);
    return splitmix(&x);
}

/* Each source gets its own stream named by a string, so adding records to one
 * source never shifts the data of another. */
void sg_rng_seed(sg_rng *r, uint64_t seed, const char *stream)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a of the stream name */
    for (const unsigned char *p = (const unsigned char *)stream; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    uint64_t x = seed ^ h;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sg_next(sg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sg_u01(sg_rng *r) { return (double)(sg_next(r) >> 11) * (1.0 / 9007199254740992.0); }

int64_t sg_range(sg_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(sg_next(r) % span);
}

bool sg_chance(sg_rng *r, double p) { return sg_u01(r) < p; }

/* ---- calendar (Howard Hinnant's civil algorithms) ------------------------ */

int32_t sg_days(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void sg_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

int sg_year_of(int32_t days)
{
    int y, m, d;
    sg_civil(days, &y, &m, &d);
    return y;
}

/* ---- number formatting by hand (snprintf is the bottleneck at scale 100) -- */

static size_t put_uint(char *b, uint64_t v, int width)
{
    char t[24];
    int n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        t[n++] = '0';
    for (int i = 0; i < n; i++)
        b[i] = t[n - 1 - i];
    return (size_t)n;
}

size_t sg_fmt_int(char *b, int64_t v, bool grouped)
{
    size_t n = 0;
    if (v < 0) {
        b[n++] = '-';
        v = -v;
    }
    char t[24];
    size_t k = put_uint(t, (uint64_t)v, 1);
    for (size_t i = 0; i < k; i++) {
        if (grouped && i > 0 && (k - i) % 3 == 0)
            b[n++] = ',';
        b[n++] = t[i];
    }
    b[n] = 0;
    return n;
}

size_t sg_fmt_amount(char *b, int64_t fen, int form)
{
    size_t n = 0;
    if (fen < 0) {
        b[n++] = '-';
        fen = -fen;
    }
    int64_t yuan = fen / 100, cents = fen % 100;
    if (form == SG_A_FULL && cents == 0) {
        /* full-width digits U+FF10..U+FF19 = EF BC 90..99 in UTF-8 */
        char t[24];
        size_t k = put_uint(t, (uint64_t)yuan, 1);
        for (size_t i = 0; i < k; i++) {
            b[n++] = (char)0xEF;
            b[n++] = (char)0xBC;
            b[n++] = (char)(0x90 + (t[i] - '0'));
        }
        b[n] = 0;
        return n;
    }
    n += sg_fmt_int(b + n, yuan, form == SG_A_COMMA);
    if (form == SG_A_PLAIN) {
        /* shortest form: 1234, 1234.5, 1234.56 */
        if (cents) {
            b[n++] = '.';
            b[n++] = (char)('0' + cents / 10);
            if (cents % 10)
                b[n++] = (char)('0' + cents % 10);
        }
    } else {
        b[n++] = '.';
        b[n++] = (char)('0' + cents / 10);
        b[n++] = (char)('0' + cents % 10);
    }
    b[n] = 0;
    return n;
}

size_t sg_fmt_date(char *b, int32_t day, int form, sg_rng *r)
{
    int y, m, d;
    sg_civil(day, &y, &m, &d);
    size_t n = 0;
    switch (form) {
    case SG_D_SLASH:
        n += put_uint(b + n, (uint64_t)y, 4);
        b[n++] = '/';
        n += put_uint(b + n, (uint64_t)m, 1);
        b[n++] = '/';
        n += put_uint(b + n, (uint64_t)d, 1);
        break;
    case SG_D_COMPACT:
        n += put_uint(b + n, (uint64_t)y, 4);
        n += put_uint(b + n, (uint64_t)m, 2);
        n += put_uint(b + n, (uint64_t)d, 2);
        break;
    case SG_D_CN:
        n += put_uint(b + n, (uint64_t)y, 4);
        memcpy(b + n, "年", 3), n += 3;
        n += put_uint(b + n, (uint64_t)m, 1);
        memcpy(b + n, "月", 3), n += 3;
        n += put_uint(b + n, (uint64_t)d, 1);
        memcpy(b + n, "日", 3), n += 3;
        break;
    default: /* ISO, and ISO with a time of day */
        n += put_uint(b + n, (uint64_t)y, 4);
        b[n++] = '-';
        n += put_uint(b + n, (uint64_t)m, 2);
        b[n++] = '-';
        n += put_uint(b + n, (uint64_t)d, 2);
        if (form == SG_D_TIME) {
            uint64_t sec = r ? sg_next(r) % 86400 : 0;
            b[n++] = ' ';
            n += put_uint(b + n, sec / 3600, 2);
            b[n++] = ':';
            n += put_uint(b + n, sec / 60 % 60, 2);
            b[n++] = ':';
            n += put_uint(b + n, sec % 60, 2);
        }
        break;
    }
    b[n] = 0;
    return n;
}

const char *sg_fmt_yesno(bool v, int form, sg_rng *r)
{
    static const char *const tf_yes[] = {"TRUE", "true", "True"};
    static const char *const tf_no[] = {"FALSE", "false", "False"};
    switch (form) {
    case SG_YN_YN: return v ? (r && sg_chance(r, 0.2) ? "y" : "Y") : (r && sg_chance(r, 0.2) ? "n" : "N");
    case SG_YN_10: return v ? "1" : "0";
    case SG_YN_TF: {
        int k = r ? (int)(sg_next(r) % 3) : 0;
        return v ? tf_yes[k] : tf_no[k];
    }
    default: return v ? "是" : "否";
    }
}

/* ---- identifiers -------------------------------------------------------- */

char sg_id_check(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

void sg_citizen_id(char out[19], int32_t birth, int seq)
{
    int y, m, d;
    sg_civil(birth, &y, &m, &d);
    memcpy(out, "330281", 6);
    put_uint(out + 6, (uint64_t)y, 4);
    put_uint(out + 10, (uint64_t)m, 2);
    put_uint(out + 12, (uint64_t)d, 2);
    put_uint(out + 14, (uint64_t)(seq % 1000), 3);
    out[17] = sg_id_check(out);
    out[18] = 0;
}

/* idx -> (birth offset, sequence) through a multiplicative permutation of
 * [0, span*1000): distinct indexes give distinct IDs, yet they look random. */
void sg_person_id(char out[19], uint64_t idx, int32_t day0, int32_t span, uint64_t salt)
{
    uint64_t mod = (uint64_t)span * 1000u;
    uint64_t p = ((idx % mod) * 2654435761u + salt % mod) % mod; /* prime > mod: a bijection */
    sg_citizen_id(out, day0 + (int32_t)(p % (uint64_t)span), (int)(p / (uint64_t)span));
}

static const char credit_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

char sg_credit_check(const char *s)
{
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        const char *p = strchr(credit_alpha, s[i]);
        if (!p || !s[i])
            return 0;
        sum += (int)(p - credit_alpha) * w[i];
    }
    int c = 31 - sum % 31;
    return credit_alpha[c == 31 ? 0 : c];
}

void sg_credit_code(char out[19], sg_rng *r, char dept, char kind)
{
    out[0] = dept;
    out[1] = kind;
    memcpy(out + 2, "330281", 6);
    for (int i = 8; i < 17; i++)
        out[i] = credit_alpha[sg_next(r) % 31];
    out[17] = sg_credit_check(out);
    out[18] = 0;
}

/* ---- records ------------------------------------------------------------ */

void sg_rec_clear(sg_rec *r)
{
    for (int i = 0; i < SG_MAXCOL; i++) {
        r->f[i].s = "";
        r->f[i].kind = K_TEXT;
        r->f[i].num = 0;
    }
    r->used = 0;
}

const char *sg_rec_str(sg_rec *r, int i, const char *s)
{
    size_t n = strlen(s);
    if (r->used + n + 1 > sizeof r->pool)
        n = sizeof r->pool - r->used - 1; /* truncation never happens with our texts */
    char *p = r->pool + r->used;
    memcpy(p, s, n);
    p[n] = 0;
    r->used += n + 1;
    r->f[i].s = p;
    r->f[i].kind = K_TEXT;
    return p;
}

void sg_rec_copy(sg_rec *dst, const sg_rec *src)
{
    memcpy(dst->pool, src->pool, src->used);
    dst->used = src->used;
    for (int i = 0; i < SG_MAXCOL; i++) {
        dst->f[i] = src->f[i];
        const char *s = src->f[i].s;
        if (s >= src->pool && s < src->pool + sizeof src->pool)
            dst->f[i].s = dst->pool + (s - src->pool); /* rebase pool strings */
    }
}
