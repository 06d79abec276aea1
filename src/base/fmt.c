/* base/fmt.c - figures formatted for people (derive stage; see fmt.h).
 *
 * Counts and percentages are done by hand rather than with printf's locale
 * grouping, and money with ICU in a fixed locale, so the output is the same
 * on every machine, whatever its locale.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucurr.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "base/fmt.h"

#define MINUS "\xE2\x88\x92"	/* U+2212 */

/* Digits of |n| with thousands separators and `decimals` decimals. */
static void
append_grouped(GString *s, double n, int decimals)
{
	char buf[64];
	char spec[8];
	g_snprintf(spec, sizeof spec, "%%.%df", CLAMP(decimals, 0, 9));
	g_ascii_formatd(buf, sizeof buf, spec, fabs(n));
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

/* ---- amounts of money ------------------------------------------------
 *
 * Written by ICU (unum, ucurr) in the "en" locale, never the process's: the
 * symbol ("$", "¥", "€", or the ISO code where English has no symbol:
 * "KWD 12.500"), its place and the grouping come from ICU's data, and the
 * minor units from ISO 4217 (JPY 0, USD 2, KWD 3).  An amount in the build's
 * currency (fmt_currency_set) is written with its symbol; one in another
 * currency with its ISO code, so that "$" never stands for two currencies in
 * one package.  One formatter, behind a lock: derive formats on the main
 * thread, but charts may be laid out on others. */

static GMutex money_lock;
static UNumberFormat *money_nf[2];	/* [0] symbol, [1] ISO code; opened once */
static char build_currency[4] = "USD";

static bool
iso_to_uchars(const char *iso, UChar out[4])
{
	if (!iso || strlen(iso) != 3)
		return false;
	for (int i = 0; i < 3; i++) {
		if (!g_ascii_isupper(iso[i]))
			return false;
		out[i] = (UChar)iso[i];
	}
	out[3] = 0;
	return true;
}

bool
fmt_currency_known(const char *iso)
{
	UChar code[4];
	if (!iso_to_uchars(iso, code))
		return false;
	UErrorCode st = U_ZERO_ERROR;
	UBool ok = ucurr_isAvailable(code, U_DATE_MIN, U_DATE_MAX, &st);
	return U_SUCCESS(st) && ok;
}

bool
fmt_currency_set(const char *iso)
{
	if (!fmt_currency_known(iso))
		return false;
	memcpy(build_currency, iso, 4);
	return true;
}

const char *
fmt_currency(void)
{
	return build_currency;
}

int
fmt_currency_digits(const char *iso)
{
	UChar code[4];
	if (!iso_to_uchars(iso, code))
		return 2;
	UErrorCode st = U_ZERO_ERROR;
	int32_t d = ucurr_getDefaultFractionDigits(code, &st);
	return U_SUCCESS(st) && d >= 0 && d <= 6 ? d : 2;
}

/* |amount| in currency `iso` with exactly `decimals` decimals, with its
 * symbol or (iso_code) its ISO code; U+2212 before it when negative.  An
 * unknown code is written as it is, before the number. */
static char *
money_text(const char *iso, double amount, int decimals, bool iso_code)
{
	GString *s = g_string_new(NULL);
	if (negative(amount, decimals))
		g_string_append(s, MINUS);
	UChar code[4], buf[128];
	int32_t n = -1;
	UErrorCode st = U_ZERO_ERROR;
	if (iso_to_uchars(iso, code)) {
		g_mutex_lock(&money_lock);
		UNumberFormat **nf = &money_nf[iso_code];
		if (!*nf)
			*nf = unum_open(iso_code ? UNUM_CURRENCY_ISO : UNUM_CURRENCY, NULL, 0, "en", NULL, &st);
		if (U_SUCCESS(st)) {
			unum_setTextAttribute(*nf, UNUM_CURRENCY_CODE, code, 3, &st);
			unum_setAttribute(*nf, UNUM_MIN_FRACTION_DIGITS, decimals);
			unum_setAttribute(*nf, UNUM_MAX_FRACTION_DIGITS, decimals);
			unum_setAttribute(*nf, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFEVEN);
			n = unum_formatDouble(*nf, fabs(amount), buf, G_N_ELEMENTS(buf), NULL, &st);
		}
		g_mutex_unlock(&money_lock);
	}
	char out[512];
	int32_t len = 0;
	if (n >= 0 && U_SUCCESS(st))
		u_strToUTF8(out, sizeof out, &len, buf, n, &st);
	if (n >= 0 && U_SUCCESS(st) && len < (int32_t)sizeof out) {
		g_string_append_len(s, out, len);
	} else {	/* not a code ICU knows (the schema refuses those) */
		g_string_append_printf(s, "%s ", iso ? iso : "");
		append_grouped(s, amount, decimals);
	}
	return g_string_free(s, FALSE);
}

/* Whole units, or the minor units when the amount is small and not whole:
 * "$2,094", "$12.50", "¥1,873", "KWD 12.500". */
char *
fmt_money_in(const char *iso, double amount)
{
	int minor = fmt_currency_digits(iso);
	double unit = pow(10, -minor);
	bool fraction = minor > 0 && fabs(amount) < 100 && fabs(amount - round(amount)) > 0.4 * unit;
	return money_text(iso, amount, fraction ? minor : 0, strcmp(iso, build_currency) != 0);
}

char *
fmt_money(double amount)
{
	return fmt_money_in(build_currency, amount);
}

/* A price per message: two decimals more than the minor units, as
 * per-message prices are fractions of them ("$0.0600", "¥9.00"). */
char *
fmt_rate_in(const char *iso, double amount)
{
	return money_text(iso, amount, fmt_currency_digits(iso) + 2, strcmp(iso, build_currency) != 0);
}

char *
fmt_rate(double amount)
{
	return fmt_rate_in(build_currency, amount);
}

char *
fmt_money_exact(const char *iso, double amount, int decimals)
{
	return money_text(iso, amount, CLAMP(decimals, 0, 9), strcmp(iso, build_currency) != 0);
}

bool
fmt_currency_affixes(const char *iso, char **prefix, char **suffix)
{
	g_autofree char *one = money_text(iso, 1, 0, strcmp(iso, build_currency) != 0);
	const char *digit = strchr(one, '1');
	if (!digit || strchr(digit + 1, '1'))
		return false;
	*prefix = g_strndup(one, (gsize)(digit - one));
	*suffix = g_strdup(digit + 1);
	return true;
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

char *
fmt_date_long(const char *yyyy_mm_dd)
{
	char ym[8] = "";
	if (yyyy_mm_dd && strlen(yyyy_mm_dd) == 10 && yyyy_mm_dd[7] == '-')
		g_strlcpy(ym, yyyy_mm_dd, sizeof ym);
	int m = fmt_month_index(ym);
	int d = m >= 0 && g_ascii_isdigit(yyyy_mm_dd[8]) && g_ascii_isdigit(yyyy_mm_dd[9]) ? atoi(yyyy_mm_dd + 8) : 0;
	if (m < 0 || d < 1 || d > fmt_days_in_month(m))
		return g_strdup(yyyy_mm_dd ? yyyy_mm_dd : "");
	g_autofree char *mn = fmt_month_name(m);
	return g_strdup_printf("%d %s", d, mn);
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
