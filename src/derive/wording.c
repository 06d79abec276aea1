/* derive/wording.c - counts and joined names for templates (see wording.h). */
#include <string.h>

#include "derive/wording.h"

/* The lists whose number changes the wording of some document. */
static const char *const wording_lists[] = {
	"integrations.current_bsps",
	"case_studies",
	"team.leads",
	"security.audits",
	"security.certifications",
	"architecture.components",
	"architecture.queues",
	"compliance.privacy.laws",
	"compliance.privacy.subprocessors",
	"company.registration.documents",
	"use_cases",
	"privacy_law.rights",
	"uptime.incidents",
	"integrations.api.responses",
	"compliance.messaging.reporting",
	"support.escalation",
	"ai_assistant.scope",
};

char *
wording_join(const char *const *items)
{
	guint n = items ? g_strv_length((char **)items) : 0;
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		if (i)
			g_string_append(s, i == n - 1 ? " and " : ", ");
		g_string_append(s, items[i]);
	}
	return g_string_free(s, FALSE);
}

static void
count_list(val *root, const char *path)
{
	const char *dot = strrchr(path, '.');
	g_autofree char *parent_path = dot ? g_strndup(path, (gsize)(dot - path)) : NULL;
	const char *key = dot ? dot + 1 : path;
	val *parent = parent_path ? val_path(root, parent_path) : root;
	if (!parent || parent->kind != VAL_MAP)
		return;
	const val *list = val_get(parent, key);
	guint n = list && list->kind == VAL_LIST ? val_len(list) : 0;

	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		const val *item = val_index(list, i);
		if (item->kind == VAL_MAP) {
			val_set_string((val *)item, "list_sep", i + 1 == n ? "" : i + 2 == n ? " and " : ", ");
			val_set_bool((val *)item, "list_first", i == 0);
		}
		const val *name = item->kind == VAL_MAP ? val_get(item, "name") : item;
		if (!name && item->kind == VAL_MAP)
			name = val_get(item, "title");
		if (name && name->kind == VAL_STRING)
			g_ptr_array_add(names, name->str);
	}
	g_ptr_array_add(names, NULL);

	g_autofree char *k_count = g_strconcat(key, "_count", NULL);
	g_autofree char *k_one = g_strconcat(key, "_one", NULL);
	g_autofree char *k_several = g_strconcat(key, "_several", NULL);
	g_autofree char *k_any = g_strconcat(key, "_any", NULL);
	g_autofree char *k_text = g_strconcat(key, "_text", NULL);
	val_set_number(parent, k_count, n);
	val_set_bool(parent, k_one, n == 1);
	val_set_bool(parent, k_several, n > 1);
	val_set_bool(parent, k_any, n > 0);
	val_map_set(parent, k_text, val_new_string_take(wording_join((const char *const *)names->pdata)));
}

void
derive_wording(val *root)
{
	for (size_t i = 0; i < G_N_ELEMENTS(wording_lists); i++)
		count_list(root, wording_lists[i]);
}
