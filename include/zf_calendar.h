/* zf_calendar.h — core: day numbers and ISO dates.
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian calendar,
 * so comparing, subtracting and formatting dates needs no time zone or locale. */
#ifndef ZF_CALENDAR_H
#define ZF_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int32_t zf_days_from_civil(int y, int m, int d);
void zf_civil_from_days(int32_t days, int *y, int *m, int *d);
bool zf_date_valid(int y, int m, int d);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
char *zf_date_format(int32_t days, char *buf);

#endif
