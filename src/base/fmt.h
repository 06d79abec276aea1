/* fmt.h - figures formatted for people (derive stage).
 *
 * "52,340", "$2,094", "$0.0600", "99.95%", "+12.4%", "184 ms",
 * "October 2026".  Negative numbers use the minus sign U+2212.
 * Every function returns a new string the caller frees.
 */
#ifndef DOSSIER_FMT_H
#define DOSSIER_FMT_H

#include <glib.h>

char *fmt_count(double n);			/* 52340 -> "52,340" (rounded) */
char *fmt_number(double n, int decimals);	/* 1234.5, 1 -> "1,234.5" */
char *fmt_money(double usd);			/* 2094.4 -> "$2,094"; 12.5 -> "$12.50" */
char *fmt_rate(double usd);			/* 0.06 -> "$0.0600" */
char *fmt_percent(double pct, int decimals);	/* 99.945, 2 -> "99.95%" */
char *fmt_percent_short(double pct);		/* 99.9 -> "99.9%", 99.0 -> "99%" */
char *fmt_change(double ratio);			/* 0.124 -> "+12.4%"; -0.03 -> "−3.0%" */
char *fmt_ms(double ms);			/* 184 -> "184 ms" */
char *fmt_month_name(int month_index);		/* year*12 + (month-1) -> "October 2026" */
int fmt_month_index(const char *yyyy_mm);	/* "2026-10" -> 2026*12 + 9; -1 if malformed */
int fmt_days_in_month(int month_index);

#endif
