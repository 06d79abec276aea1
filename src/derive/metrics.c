/* derive/metrics.c - the table of figures (see metrics.h). */
#include <string.h>

#include "base/fmt.h"
#include "derive/metrics.h"

static char *
percent_2(double n)
{
	return fmt_percent(n, 2);
}

/* The seed's monthly figures, in the order of the spreadsheet's columns:
 * key, label, column, unit, format, direction, width, stock, counts (and
 * one of its rows). */
static const metric metric_table[] = {
	{ "active_organizations", "Active organizations", "Active organizations",
	  METRIC_COUNT, fmt_count, METRIC_MORE_IS_BETTER, 12, true, NULL, NULL },
	{ "whatsapp_ai_clients", "WhatsApp AI clients", "WhatsApp AI clients",
	  METRIC_COUNT, fmt_count, METRIC_MORE_IS_BETTER, 12, true, "clients", "client" },
	{ "messages", "Messages", "Messages",
	  METRIC_COUNT, fmt_count, METRIC_MORE_IS_BETTER, 12, false, NULL, NULL },
	{ "message_cost", "Message cost", "Message cost",
	  METRIC_MONEY, fmt_money, METRIC_MORE_IS_BETTER, 13, false, NULL, NULL },
	{ "uptime_percent", "Uptime (30 days)", "Uptime (30 days)",
	  METRIC_PERCENT, percent_2, METRIC_MORE_IS_BETTER, 11, false, NULL, NULL },
	{ "webhook_avg_ms", "Webhook average response", "Avg webhook response (ms)",
	  METRIC_MS, fmt_ms, METRIC_LESS_IS_BETTER, 14, false, NULL, NULL },
	{ "webhook_p95_ms", "Webhook p95 response", "p95 webhook response (ms)",
	  METRIC_MS, fmt_ms, METRIC_LESS_IS_BETTER, 14, false, NULL, NULL },
	{ "delivery_success_percent", "Delivery success", "Delivery success",
	  METRIC_PERCENT, fmt_percent_short, METRIC_MORE_IS_BETTER, 11, false, NULL, NULL },
	{ "mrr", "MRR", "MRR",
	  METRIC_MONEY, fmt_money, METRIC_MORE_IS_BETTER, 12, true, NULL, NULL },
};

static GArray *added;	/* metric rows from metric_add() */

guint
metric_count(void)
{
	return G_N_ELEMENTS(metric_table) + (added ? added->len : 0);
}

const metric *
metric_at(guint i)
{
	if (i < G_N_ELEMENTS(metric_table))
		return &metric_table[i];
	return &g_array_index(added, metric, i - G_N_ELEMENTS(metric_table));
}

const metric *
metric_find(const char *key)
{
	for (guint i = 0; i < metric_count(); i++)
		if (!strcmp(metric_at(i)->key, key))
			return metric_at(i);
	return NULL;
}

char *
metric_format(const char *key, double value)
{
	const metric *m = metric_find(key);
	if (m)
		return m->format(value);
	if (g_str_has_suffix(key, "_cost") || g_str_has_suffix(key, "_amount"))
		return fmt_money(value);
	if (g_str_has_suffix(key, "_percent"))
		return fmt_percent_short(value);
	if (g_str_has_suffix(key, "_ms"))
		return fmt_ms(value);
	return fmt_count(value);
}

bool
metric_meets(const metric *m, double value, double target)
{
	return m->direction == METRIC_LESS_IS_BETTER ? value < target : value >= target;
}

const char *
metric_unit_name(metric_unit unit)
{
	static const char *const names[] = {
		[METRIC_COUNT] = "count", [METRIC_MONEY] = "money",
		[METRIC_PERCENT] = "percent", [METRIC_MS] = "ms",
	};
	return names[unit];
}

void
metric_add(const metric *m)
{
	if (!added)
		added = g_array_new(FALSE, FALSE, sizeof(metric));
	g_array_append_val(added, *m);
}
