/* fmt.h - figures formatted for people (derive stage).
 *
 * "52,340", "$2,094", "$0.0600", "99.95%", "+12.4%", "184 ms",
 * "October 2026".  Negative numbers use the minus sign U+2212.
 * Every function returns a new string the caller frees.
 */
#ifndef DOSSIER_FMT_H
#define DOSSIER_FMT_H

#include <glib.h>
#include <stdbool.h>

char *fmt_count(double n);			/* 52340 -> "52,340" (rounded) */
char *fmt_number(double n, int decimals);	/* 1234.5, 1 -> "1,234.5" */

/* Money, in the build's currency: an ISO 4217 code, "USD" until
 * fmt_currency_set() (derive sets company.currency).  Amounts in another
 * currency (the _in variants) carry its ISO code instead of a symbol:
 * "USD 0.0600" in a yen package.  Written by ICU in the "en" locale. */
bool fmt_currency_known(const char *iso);	/* an ISO 4217 code ICU knows: "JPY" */
bool fmt_currency_set(const char *iso);		/* false (and unchanged) when not known */
const char *fmt_currency(void);			/* "USD" */
int fmt_currency_digits(const char *iso);	/* minor units: JPY 0, USD 2, KWD 3 */
char *fmt_money(double amount);			/* 2094.4 -> "$2,094"; 12.5 -> "$12.50"; ¥1,873 */
char *fmt_money_in(const char *iso, double amount);
char *fmt_rate(double amount);			/* per message: 0.06 -> "$0.0600"; "¥9.00" */
char *fmt_rate_in(const char *iso, double amount);
char *fmt_money_exact(const char *iso, double amount, int decimals);	/* 150.25, 2 -> "¥150.25" */
/* What is written before and after the digits of an amount in `iso`
 * ("$", ""; "KWD\u00A0", ""), for spreadsheet number formats.  New
 * strings; false when ICU writes it some other way. */
bool fmt_currency_affixes(const char *iso, char **prefix, char **suffix);
char *fmt_percent(double pct, int decimals);	/* 99.945, 2 -> "99.95%" */
char *fmt_percent_short(double pct);		/* 99.9 -> "99.9%", 99.0 -> "99%" */
char *fmt_change(double ratio);			/* 0.124 -> "+12.4%"; -0.03 -> "−3.0%" */
char *fmt_ms(double ms);			/* 184 -> "184 ms" */
char *fmt_month_name(int month_index);		/* year*12 + (month-1) -> "October 2026" */
char *fmt_date_long(const char *yyyy_mm_dd);	/* "2026-11-30" -> "30 November 2026" */
int fmt_month_index(const char *yyyy_mm);	/* "2026-10" -> 2026*12 + 9; -1 if malformed */
int fmt_days_in_month(int month_index);

#endif
