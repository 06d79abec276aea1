/* write/obligations.c - OUT/obligations.ics: the obligations as a calendar, through libical
 * (package stage; see write.h and derive/programme.h).
 *
 * One all-day event per dated obligation of programme.obligations (the
 * Data Use Checkup recurring at its cadence), each with an alarm
 * `warn_days` before it, as `dossier check` warns.  Deterministic: the
 * stamp is the build date (the end of the latest snapshot's month, never
 * the clock) and each UID a digest of the obligation, so the same content
 * gives the same bytes.  Written even when empty, so that a calendar
 * subscribed to it sees the obligations go.
 */
#include <stdlib.h>
#include <string.h>
#include <libical/ical.h>

#include "base/fileop.h"
#include "write/write.h"

static struct icaltimetype
all_day(const char *iso)
{
	struct icaltimetype t = icaltime_null_date();
	t.year = atoi(iso);
	t.month = atoi(iso + 5);
	t.day = atoi(iso + 8);
	return t;
}

/* A UID that stays the same while the obligation does. */
static char *
event_uid(const val *o)
{
	g_autofree char *key = g_strdup_printf("%s|%s|%s", val_get(o, "id")->str, val_get(o, "date")->str,
					       val_get(o, "name")->str);
	g_autofree char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	return g_strdup_printf("%.32s@dossier", sha);
}

static icalcomponent *
event(const val *o, struct icaltimetype stamp, int warn_days)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	g_autofree char *uid = event_uid(o);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(all_day(val_get(o, "date")->str)));
	icalcomponent_add_property(ev, icalproperty_new_summary(val_get(o, "name")->str));
	g_autofree char *desc = g_strdup_printf("%s. Source: %s.", val_get(o, "name")->str, val_get(o, "source_text")->str);
	icalcomponent_add_property(ev, icalproperty_new_description(desc));
	const val *url = val_get(val_get(o, "source"), "url");
	if (url && url->kind == VAL_STRING)
		icalcomponent_add_property(ev, icalproperty_new_url(url->str));
	const val *every = val_get(o, "every_months");
	if (every && every->num >= 1) {
		struct icalrecurrencetype r;
		icalrecurrencetype_clear(&r);
		r.freq = ICAL_MONTHLY_RECURRENCE;
		r.interval = (short)every->num;
		icalcomponent_add_property(ev, icalproperty_new_rrule(r));
	}
	icalcomponent *alarm = icalcomponent_new_valarm();
	icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	struct icaltriggertype trigger = { .time = icaltime_null_time(),
					   .duration = icaldurationtype_from_int(-warn_days * 24 * 3600) };
	icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
	icalcomponent_add_property(alarm, icalproperty_new_description(val_get(o, "name")->str));
	icalcomponent_add_component(ev, alarm);
	return ev;
}

bool
obligations_write(const WriteCtx *ctx)
{
	const val *root = ctx->pl->root;
	const val *list = val_path(root, "programme.obligations");
	const val *t = val_path(root, "build.time");
	int warn_days = (int)val_num(val_get(root, "programme"), "warn_days");
	struct icaltimetype stamp = icaltime_from_timet_with_zone((time_t)(t ? t->num : 0), 0,
								   icaltimezone_get_utc_timezone());
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//dossier//obligations//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	const val *name = val_path(root, "company.name");
	if (name && name->kind == VAL_STRING) {
		g_autofree char *title = g_strdup_printf("%s: Meta partner obligations", name->str);
		icalproperty *p = icalproperty_new_x(title);
		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
	}
	for (guint i = 0; i < val_len(list); i++)
		icalcomponent_add_component(cal, event(val_index(list, i), stamp, warn_days));
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	g_autofree char *path = g_build_filename(ctx->stage, WRITE_OBLIGATIONS_FILE, NULL);
	bool ok = fileop_write(path, text, strlen(text));
	free(text);
	return ok;
}
