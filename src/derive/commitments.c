/* derive/commitments.c - the commitment facts given and missing (see
 * commitments.h). */
#include <string.h>

#include "derive/commitments.h"

/* Where `fact` belongs: the deepest map on its path that the content has,
 * at its key (the line to add the fact under). */
static const val *
place_of(const val *root, const char *fact)
{
	g_auto(GStrv) parts = g_strsplit(fact, ".", -1);
	const val *cur = root, *at = NULL;
	for (guint i = 0; parts[i] && parts[i + 1]; i++) {
		const val *next = val_get(cur, parts[i]);
		if (!next || next->kind != VAL_MAP)
			break;
		cur = at = next;
	}
	return at;
}

static bool
given(const val *root, const char *fact)
{
	const val *v = val_path(root, fact);
	return v && v->kind != VAL_NULL;
}

static void
add_missing(val *missing, const val *root, const char *fact, const char *what, const val *documents)
{
	val *m = val_new_map();
	val_set_string(m, "fact", fact);
	val_set_string(m, "what", what);
	val *docs = val_set_list(m, "documents");
	for (guint i = 0; i < val_len(documents); i++)
		val_list_add(docs, val_copy(val_index(documents, i)));
	const val *at = place_of(root, fact);
	const char *file = at && at->file ? at->file : root->file;
	int line = at ? (at->key_line ? at->key_line : at->line) : 0;
	int col = at ? (at->key_line ? at->key_col : at->col) : 0;
	val_set_string(m, "file", file ? file : "");
	val_set_number(m, "line", line);
	val_set_number(m, "col", col);
	val_map_set(m, "where", val_new_string_take(line ? g_strdup_printf("%s:%d:%d", file, line, col)
							 : g_strdup(file ? file : "")));
	val_list_add(missing, m);
}

void
derive_commitments(val *root)
{
	val *c = val_get(root, "commitments");
	if (!c)
		c = val_set_map(root, "commitments");
	const val *facts = val_get(c, "facts");
	val *missing = val_set_list(c, "missing");
	guint total = 0;
	for (guint i = 0; i < val_len(facts); i++) {
		const val *f = val_index(facts, i);
		const char *fact = val_get(f, "fact")->str;
		total++;
		if (!given(root, fact))
			add_missing(missing, root, fact, val_get(f, "what")->str, val_get(f, "documents"));
	}
	/* What the chosen privacy law requires published. */
	const val *law = val_get(root, "privacy_law");
	const val *req = val_get(law, "requires");
	const val *short_name = val_get(law, "short");
	for (guint i = 0; i < val_len(req); i++) {
		const char *fact = val_index(req, i)->str;
		bool listed = false;
		for (guint j = 0; j < val_len(missing); j++)
			listed |= !strcmp(val_get(val_index(missing, j), "fact")->str, fact);
		bool in_list = false;
		for (guint j = 0; j < val_len(facts); j++)
			in_list |= !strcmp(val_get(val_index(facts, j), "fact")->str, fact);
		total += !in_list;
		if (listed || in_list || given(root, fact))
			continue;
		g_autofree char *what = g_strdup_printf("what %s requires the privacy policy to publish",
							short_name ? short_name->str : val_get(law, "law")->str);
		g_autoptr(val) docs = val_new_list();
		val_list_add(docs, val_new_string("privacy-policy"));
		add_missing(missing, root, fact, what, docs);
	}
	val_set_number(c, "missing_count", val_len(missing));
	val_set_bool(c, "missing_any", val_len(missing) > 0);
	val_set_number(c, "given_count", total - val_len(missing));
}

void
derive_commitment_items(val *items, const val *root)
{
	const val *missing = val_path(root, "commitments.missing");
	for (guint i = 0; i < val_len(missing); i++) {
		const val *m = val_index(missing, i);
		val *it = val_new_map();
		g_autofree char *name = g_strdup_printf("Commitment: %s", val_get(m, "what")->str);
		val_set_string(it, "item", name);
		val_set_bool(it, "met", false);
		val_set_string(it, "status", "\xE2\x9D\x8C Not met");	/* ❌, as every unmet item */
		val_set_string(it, "check", " ");
		val_map_set(it, "detail", val_new_string_take(g_strdup_printf(
			"not given: add %s at %s", val_get(m, "fact")->str, val_get(m, "where")->str)));
		val_set_bool(it, "commitment", true);
		val_set_string(it, "fact", val_get(m, "fact")->str);
		val_set_string(it, "what", val_get(m, "what")->str);
		val_set_string(it, "where", val_get(m, "where")->str);
		val_list_add(items, it);
	}
}
