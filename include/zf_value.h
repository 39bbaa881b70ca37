/* zf_value.h — validate: typed values, and the reason a text was refused (zf_record.h).
 *
 * Parsing never uses the locale or floating point: amounts become integer
 * hundredths (fen), dates a day number, and the result says exactly why a text
 * was refused, as one reason code of ../shared/spec/sources.md. */
#ifndef ZF_VALUE_H
#define ZF_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_calendar.h"
#include "zf_record.h"
#include "zf_defs.h"
#include "zf_reader.h"

/* What a column check needs besides the column. */
typedef struct zf_value_ctx {
    const zf_region_tree *regions;
    int max_year;             /* as-of year + 1: later dates are date_out_of_range */
    zf_serial_dates serials;  /* Excel serial dates are accepted only from spreadsheet number cells */
} zf_value_ctx;

/* Check one cell against its column.  Returns ZF_REASON_NONE and fills *out, or the reason. */
zf_reason zf_value_parse(const zf_column *col, const zf_cell *cell, const zf_value_ctx *ctx, zf_value *out);

/* The individual checks, for reuse and tests.  s is trimmed UTF-8 of length len. */
zf_reason zf_parse_date(const char *s, size_t len, zf_serial_dates serials, int max_year, int32_t *days);
zf_reason zf_parse_amount(const char *s, size_t len, int64_t *hundredths);
/* The same for a cell; a spreadsheet number cell (numeric) whose value is a cent amount but
 * for a calculation's float noise (6134313.66000001, 567.889999999898) is that amount. */
zf_reason zf_parse_amount_cell(const char *s, size_t len, bool numeric, int64_t *hundredths);
zf_reason zf_parse_integer(const char *s, size_t len, int64_t *value);
zf_reason zf_parse_yesno(const char *s, size_t len, bool *yes);
zf_reason zf_check_citizen_id(const char *s, size_t len);
/* The same with the birth date judged against the run: a birth year after max_year is
 * bad_id.  zf_check_citizen_id only requires a birth year from 1900 to 9999. */
zf_reason zf_check_citizen_id_until(const char *s, size_t len, int max_year);
zf_reason zf_check_credit_code(const char *s, size_t len);
zf_reason zf_parse_decimal(const char *s, size_t len, int64_t *millionths);


/* The form of a parsed value that keys and joins compare, so that `2024-3-5` and
 * `20240305`, or `1,200` and `1200`, are the same key: dates as YYYY-MM-DD, amounts,
 * integers, decimals and yes/no as their integer in decimal, a numeric TEXT_OR_DECIMAL as
 * '#' and its millionths, a citizen ID with a capital X; any other type as its trimmed
 * text.  tmp must hold 32 bytes; the result points into tmp or into v->s.  An absent
 * value is "". */
const char *zf_value_canonical(const zf_column *col, const zf_value *v, char *tmp, size_t *len);


/* Mask personal data for output: a citizen ID keeps its first 6 and last 4 characters
 * (330281********123X); other personal text keeps its first and last character and
 * masks the rest.  Writes a NUL-terminated string into buf. */
const char *zf_mask(const char *s, size_t len, bool citizen_id, char *buf, size_t size);

/* Mask, in place, what looks like personal data typed into any text: a maximal run of
 * ASCII digits that is a valid 18-character citizen ID (check digit and birth date) or an
 * old 15-digit one (valid birth date) keeps its first 6 and last 4 characters, and an
 * 11-digit mainland mobile number (1[3-9]…, also after 86) its first and last digit, the
 * rest '*' as zf_mask does.  The length does not change.  Returns how many were masked.
 * For rejected values only: it reads every byte, and good records never need it. */
size_t zf_mask_identifiers(char *s, size_t len);

#ifdef ZF_TESTING
/* ---- for the unit tests (include/zf_testing.h): STATIC in etl/validate/value.c ---- */
typedef enum { NUM_OK, NUM_BAD, NUM_TOO_PRECISE, NUM_OVERFLOW } num_status;
num_status scan_decimal(const char *s, size_t len, int scale, int64_t limit, int64_t *out, bool *neg);
#endif

#endif
