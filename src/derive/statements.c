/* derive/statements.c - facts in the form documents state them (see
 * statements.h).  Only forms of one fact are made here; every word around
 * them is the templates'. */
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/statements.h"

char *
statements_date_long(const char *date)
{
	int y, m, d;
	char tail;
	if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	g_autofree char *month = fmt_month_name(y * 12 + m - 1);	/* "October 2026" */
	return g_strdup_printf("%d %s", d, month);
}

/* KEY_long beside each date a document prints written out. */
static void
dates_long(val *root)
{
	static const char *const dates[] = {
		"compliance.privacy.updated",
		"compliance.terms.updated",
		"compliance.messaging.updated",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(dates); i++) {
		const val *v = val_path(root, dates[i]);
		if (!v || v->kind != VAL_STRING)
			continue;
		const char *dot = strrchr(dates[i], '.');
		g_autofree char *parent = g_strndup(dates[i], (gsize)(dot - dates[i]));
		g_autofree char *key = g_strconcat(dot + 1, "_long", NULL);
		char *text = statements_date_long(v->str);
		if (text)
			val_map_set(val_path(root, parent), key, val_new_string_take(text));
	}
}

/* company.legal_name_text: the Latin-script form where the content gives
 * one (running English text), else the registered name;
 * company.legal_name_full: both, "Naminori K.K. (株式会社ナミノリ)", where
 * the party must be named exactly (the terms' first sentence). */
static void
legal_names(val *root)
{
	val *company = val_get(root, "company");
	const val *reg = val_get(company, "legal_name");
	const val *latin = val_get(company, "legal_name_latin");
	if (!reg || reg->kind != VAL_STRING)
		return;
	bool both = latin && latin->kind == VAL_STRING && strcmp(latin->str, reg->str);
	val_set_string(company, "legal_name_text", both ? latin->str : reg->str);
	val_map_set(company, "legal_name_full", val_new_string_take(
		both ? g_strdup_printf("%s (%s)", latin->str, reg->str) : g_strdup(reg->str)));
}

/* company.address.text: the company's own lines, in their order, on one
 * line; content in the older form gets "street, postal_code city,
 * province, country" as before.  Neither is a located error. */
static void
address_text(val *root)
{
	val *company = val_get(root, "company");
	val *address = val_get(company, "address");
	const val *lines = val_get(address, "lines");
	const val *street = val_get(address, "street");
	if (address && address->kind == VAL_MAP && val_len(lines) == 0 && !(street && street->kind == VAL_STRING))
		diag(DIAG_ERROR, address->file, address->key_line ? address->key_line : address->line,
		     address->key_line ? address->key_col : address->col,
		     "company.address: give the registered office as `lines:`, as the company writes it");
	GString *t = g_string_new(NULL);
	if (val_len(lines) > 0)
		for (guint i = 0; i < val_len(lines); i++)
			g_string_append_printf(t, "%s%s", i ? ", " : "", val_index(lines, i)->str);
	else if (street && street->kind == VAL_STRING) {
		const val *pc = val_get(address, "postal_code"), *city = val_get(address, "city");
		const val *prov = val_get(address, "province"), *country = val_get(address, "country");
		g_string_append_printf(t, "%s, ", street->str);
		if (pc && pc->kind == VAL_STRING)
			g_string_append_printf(t, "%s ", pc->str);
		g_string_append(t, city && city->kind == VAL_STRING ? city->str : "");
		if (prov && prov->kind == VAL_STRING)
			g_string_append_printf(t, ", %s", prov->str);
		g_string_append_printf(t, ", %s", country && country->kind == VAL_STRING ? country->str : "");
	}
	if (address && address->kind == VAL_MAP)
		val_map_set(address, "text", val_new_string_take(g_string_free(t, FALSE)));
	else
		g_string_free(t, TRUE);
}

/* compliance.privacy.controller_text: the content's controller, else the
 * company itself with its registered office; company.tax_id.heading:
 * "Tax ID (CUIT)" with a kind, else the label alone. */
static void
controller_and_tax(val *root)
{
	val *company = val_get(root, "company");
	val *privacy = val_path(root, "compliance.privacy");
	const val *controller = val_get(privacy, "controller");
	const val *addr_text = val_path(root, "company.address.text");
	const val *full = val_get(company, "legal_name_full");
	if (privacy && privacy->kind == VAL_MAP && (full || controller))
		val_map_set(privacy, "controller_text", val_new_string_take(
			controller && controller->kind == VAL_STRING ? g_strdup(controller->str)
			: g_strdup_printf("%s, %s", full->str,
					  addr_text && addr_text->kind == VAL_STRING ? addr_text->str : "")));
	val *tax = val_get(company, "tax_id");
	const val *kind = val_get(tax, "kind"), *label = val_get(tax, "label");
	if (label && label->kind == VAL_STRING)
		val_map_set(tax, "heading", val_new_string_take(
			kind && kind->kind == VAL_STRING ? g_strdup_printf("%s (%s)", kind->str, label->str)
							 : g_strdup(label->str)));
}

/* compliance.privacy.uses[]: the practices the content states, in a fixed
 * order, each {KEY: true, does, first, it, list_sep} so that the policy writes
 * them as one sentence ("We do not sell personal data, we do not use
 * conversation content for advertising, and we do not use it to train AI
 * models."); uses_any. */
static void
privacy_uses(val *root)
{
	static const struct { const char *fact, *key; } uses[] = {
		{ "sells_personal_data", "sell" },
		{ "uses_content_for_advertising", "advertising" },
		{ "uses_content_for_ai_training", "ai_training" },
	};
	val *privacy = val_path(root, "compliance.privacy");
	if (!privacy || privacy->kind != VAL_MAP)
		return;
	val *list = val_set_list(privacy, "uses");
	for (size_t i = 0; i < G_N_ELEMENTS(uses); i++) {
		const val *v = val_get(privacy, uses[i].fact);
		if (!v || v->kind != VAL_BOOL)
			continue;
		val *it = val_new_map();
		val_set_bool(it, uses[i].key, true);
		val_set_bool(it, "does", v->b);
		val_set_bool(it, "first", val_len(list) == 0);
		/* "it": the previous clause named conversation content */
		const val *prev = val_len(list) ? val_index(list, val_len(list) - 1) : NULL;
		val_set_bool(it, "it", prev && val_get(prev, "advertising"));
		val_list_add(list, it);
	}
	guint n = val_len(list);
	for (guint i = 0; i < n; i++)	/* "A and B"; "A, B, and C": the clauses are long */
		val_set_string(val_index(list, i), "list_sep",
			       i + 1 == n ? "" : i + 2 < n ? ", " : n > 2 ? ", and " : " and ");
	val_set_bool(privacy, "uses_any", n > 0);
}

/* support.availability: target_text "99.9%", and `stated` when both the
 * target and whether it is contractual are given (the terms, the uptime
 * report, the overview and the guidelines state it only then). */
static void
availability(val *root)
{
	val *a = val_path(root, "support.availability");
	if (!a || a->kind != VAL_MAP)
		return;
	const val *target = val_get(a, "target");
	const val *contractual = val_get(a, "contractual");
	bool has_target = target && target->kind == VAL_NUMBER;
	if (has_target)
		val_map_set(a, "target_text", val_new_string_take(fmt_percent_short(target->num)));
	val_set_bool(a, "stated", has_target && contractual && contractual->kind == VAL_BOOL);
}

/* A step named in running text: "Warning" -> "warning", but "SMS ban" and
 * "WhatsApp block" keep their capitals. */
static char *
lower_first(const char *s)
{
	gunichar c = g_utf8_get_char(s);
	const char *rest = g_utf8_next_char(s);
	for (const char *p = rest; *p && *p != ' '; p = g_utf8_next_char(p))
		if (g_unichar_isupper(g_utf8_get_char(p)))
			return g_strdup(s);
	if (!g_unichar_isupper(c))
		return g_strdup(s);
	char buf[8];
	buf[g_unichar_to_utf8(g_unichar_tolower(c), buf)] = '\0';
	return g_strconcat(buf, rest, NULL);
}

/* compliance.messaging.enforcement[]: step_lower, and list_sep_or (", ",
 * " or ") for "by warning, restriction, suspension or termination". */
static void
enforcement_steps(val *root)
{
	const val *steps = val_path(root, "compliance.messaging.enforcement");
	guint n = val_len(steps);
	for (guint i = 0; i < n; i++) {
		val *st = val_index(steps, i);
		const val *name = val_get(st, "step");
		if (st->kind != VAL_MAP || !name || name->kind != VAL_STRING)
			continue;
		val_map_set(st, "step_lower", val_new_string_take(lower_first(name->str)));
		val_set_string(st, "list_sep_or", i + 1 == n ? "" : i + 2 == n ? " or " : ", ");
	}
}

/* security.audits_latest: the date of the latest audit (the list is oldest
 * first), for "2 independent security audits, the latest on 2026-06-18". */
static void
audits_latest(val *root)
{
	val *security = val_get(root, "security");
	const val *audits = val_get(security, "audits");
	guint n = val_len(audits);
	const val *date = n ? val_get(val_index(audits, n - 1), "date") : NULL;
	if (date && date->kind == VAL_STRING)
		val_set_string(security, "audits_latest", date->str);
}

/* integrations.webhook.cloud_api_any: an endpoint of the direct Cloud API
 * integration exists; integrations.retry.factor_text: "doubled",
 * "multiplied by 1.5". */
static void
integration_facts(val *root)
{
	val *webhook = val_path(root, "integrations.webhook");
	const val *endpoints = val_get(webhook, "endpoints");
	bool cloud = false;
	for (guint i = 0; i < val_len(endpoints); i++)
		cloud |= val_truthy(val_get(val_index(endpoints, i), "cloud_api"));
	if (webhook && webhook->kind == VAL_MAP)
		val_set_bool(webhook, "cloud_api_any", cloud);
	val *retry = val_path(root, "integrations.retry");
	const val *factor = val_get(retry, "factor");
	if (factor && factor->kind == VAL_NUMBER && factor->num > 0) {
		g_autofree char *n = val_to_text(factor);
		val_map_set(retry, "factor_text", val_new_string_take(
			factor->num == 2 ? g_strdup("doubled") : factor->num == 3 ? g_strdup("tripled")
			: g_strdup_printf("multiplied by %s", n)));
	}
}

/* KEY_one beside counts a sentence follows with a noun ("1 engineer",
 * "9 engineers"); uptime.months_text "12 months" / "1 month". */
static void
count_forms(val *root)
{
	static const char *const counts[] = {
		"team.size", "team.technical", "team.support", "uptime.months", "growth.months",
		"integrations.retry.max_attempts",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(counts); i++) {
		const val *v = val_path(root, counts[i]);
		if (!v)
			continue;
		bool one = v->kind == VAL_NUMBER ? v->num == 1 : v->kind == VAL_STRING && !strcmp(v->str, "1");
		const char *dot = strrchr(counts[i], '.');
		g_autofree char *parent = g_strndup(counts[i], (gsize)(dot - counts[i]));
		g_autofree char *key = g_strconcat(dot + 1, "_one", NULL);
		val_set_bool(val_path(root, parent), key, one);
	}
	val *u = val_get(root, "uptime");
	const val *months = val_get(u, "months");
	if (months && months->kind == VAL_STRING)
		val_map_set(u, "months_text", val_new_string_take(
			g_strdup_printf("%s month%s", months->str, strcmp(months->str, "1") ? "s" : "")));
}

void
derive_statements(val *root)
{
	count_forms(root);
	integration_facts(root);
	audits_latest(root);
	dates_long(root);
	legal_names(root);
	address_text(root);
	controller_and_tax(root);
	privacy_uses(root);
	availability(root);
	enforcement_steps(root);
}
