/* base/fmt.c - figures formatted for people (derive stage; see fmt.h).
 *
 * Done by hand rather than with printf's locale grouping so the output is
 * the same on every machine, whatever its locale.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"

#define MINUS "\xE2\x88\x92"	/* U+2212 */

/* Digits of |n| with thousands separators and `decimals` decimals. */
static void
append_grouped(GString *s, double n, int decimals)
{
	char buf[64];
	g_ascii_formatd(buf, sizeof buf, decimals == 0 ? "%.0f" : decimals == 1 ? "%.1f" :
			decimals == 2 ? "%.2f" : "%.4f", fabs(n));
	char *dot = strchr(buf, '.');
	size_t int_len = dot ? (size_t)(dot - buf) : strlen(buf);
	for (size_t i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			g_string_append_c(s, ',');
		g_string_append_c(s, buf[i]);
	}
	if (dot)
		g_string_append(s, dot);
}

/* Rounding that never shows "−0". */
static bool
negative(double n, int decimals)
{
	double scale = pow(10, decimals);
	return round(n * scale) < 0;
}

char *
fmt_number(double n, int decimals)
{
	GString *s = g_string_new(NULL);
	if (negative(n, decimals))
		g_string_append(s, MINUS);
	append_grouped(s, n, decimals);
	return g_string_free(s, FALSE);
}

char *
fmt_count(double n)
{
	return fmt_number(n, 0);
}

char *
fmt_money(double usd)
{
	bool cents = fabs(usd) < 100 && fabs(usd - round(usd)) > 0.004;
	int decimals = cents ? 2 : 0;
	GString *s = g_string_new(NULL);
	if (negative(usd, decimals))
		g_string_append(s, MINUS);
	g_string_append_c(s, '$');
	append_grouped(s, usd, decimals);
	return g_string_free(s, FALSE);
}

char *
fmt_rate(double usd)
{
	GString *s = g_string_new("$");
	append_grouped(s, usd, 4);
	return g_string_free(s, FALSE);
}

char *
fmt_percent(double pct, int decimals)
{
	g_autofree char *n = fmt_number(pct, decimals);
	return g_strdup_printf("%s%%", n);
}

char *
fmt_percent_short(double pct)
{
	int decimals = fabs(pct * 100 - round(pct * 100)) < 1e-6 ? 2 : 4;
	if (fabs(pct * 10 - round(pct * 10)) < 1e-6)
		decimals = 1;
	if (fabs(pct - round(pct)) < 1e-9)
		decimals = 0;
	if (decimals > 2)
		decimals = 2;
	return fmt_percent(pct, decimals);
}

char *
fmt_change(double ratio)
{
	double pct = ratio * 100;
	g_autofree char *n = fmt_number(pct, 1);
	bool zero = !negative(pct, 1) && round(pct * 10) == 0;
	return g_strdup_printf("%s%s%%", negative(pct, 1) || zero ? "" : "+", n);
}

char *
fmt_ms(double ms)
{
	g_autofree char *n = fmt_number(ms, fabs(ms - round(ms)) < 0.05 ? 0 : 1);
	return g_strdup_printf("%s ms", n);
}

char *
fmt_month_name(int month_index)
{
	static const char *const names[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	return g_strdup_printf("%s %d", names[month_index % 12], month_index / 12);
}

int
fmt_month_index(const char *yyyy_mm)
{
	/* Exactly four digits, '-', two digits: sscanf's %d would also take
	 * "+202-10" or "2026- 1". */
	if (!yyyy_mm || strlen(yyyy_mm) != 7 || yyyy_mm[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !g_ascii_isdigit(yyyy_mm[i]))
			return -1;
	int y = atoi(yyyy_mm), m = atoi(yyyy_mm + 5);
	if (y < 1 || m < 1 || m > 12)
		return -1;
	return y * 12 + (m - 1);
}

int
fmt_days_in_month(int month_index)
{
	return g_date_get_days_in_month((GDateMonth)(month_index % 12 + 1),
					(GDateYear)(month_index / 12));
}
