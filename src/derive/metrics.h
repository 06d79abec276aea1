/* metrics.h - the one table of figures (derive stage): what each monthly
 * figure is called, its unit, how it is written, and which way is better.
 *
 * A snapshot's figures (content/metrics/YYYY-MM.yaml) are looked up here by
 * every stage that shows them: derive formats them (history[].fmt.KEY,
 * latest.fmt.KEY), the spreadsheet makes a column of each, CHANGES.md
 * labels them and says a percentage's change in points, the charts take
 * their unit from it, `dossier month` carries the stock figures and the
 * consistency checks count the lists a figure counts.  A new figure is one row of metric_table[] (metrics.c)
 * plus, for a figure the content does not give, its derivation in derive.c;
 * docs/hacking.md shows it step by step.
 *
 * Rows are static; metric_add() appends one at run time (for tests, which
 * cannot edit the table).
 */
#ifndef DOSSIER_METRICS_H
#define DOSSIER_METRICS_H

#include <glib.h>
#include <stdbool.h>

typedef enum {
	METRIC_COUNT,		/* 52,340 */
	METRIC_MONEY,		/* $2,094, in company.currency */
	METRIC_PERCENT,		/* 99.94%; stored as 99.94, changes in points */
	METRIC_MS,		/* 184 ms */
} metric_unit;

typedef enum {
	METRIC_MORE_IS_BETTER,
	METRIC_LESS_IS_BETTER,
} metric_direction;

typedef struct {
	const char *key;		/* the snapshot field: "whatsapp_ai_clients" */
	const char *label;		/* in sentences and CHANGES.md: "WhatsApp AI clients" */
	const char *column;		/* a table or spreadsheet heading: "Message cost"
					 * (money gets the currency: "Message cost (USD)") */
	metric_unit unit;
	char *(*format)(double);	/* how it is written; the caller frees the text */
	metric_direction direction;
	double width;			/* spreadsheet column width, in characters */
	bool stock;			/* a level at the month's end, carried to the
					 * next snapshot by `dossier month` until
					 * changed; else measured over the month */
	const char *counts;		/* the snapshot's list whose rows it counts
					 * ("clients"): checked against it, and
					 * taken from its CSV export; or NULL */
	const char *counts_one;		/* one of its rows, in messages: "client" */
} metric;

/* The rows, in the order they are shown. */
guint metric_count(void);
const metric *metric_at(guint i);

/* The row of `key`, or NULL. */
const metric *metric_find(const char *key);

/* A figure written for people: by its row, or for a field the table does
 * not know (a schema extended by a project), by its name's suffix (_cost
 * or _amount money, _percent percent, _ms milliseconds, else a count).  Caller frees. */
char *metric_format(const char *key, double value);

/* Is `value` at least as good as `target`? (>= for more-is-better,
 * < for less-is-better, as the seed's trigger table reads.) */
bool metric_meets(const metric *m, double value, double target);

/* "count", "money", "percent", "ms": the unit's name in the data tree. */
const char *metric_unit_name(metric_unit unit);

/* Append a row (copied; its strings must outlive the process). */
void metric_add(const metric *m);

#endif
