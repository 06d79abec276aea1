/* load/rules.c - the vocabulary and the commitments list (see rules.h).
 *
 * Each file is checked against a small schema of its own shape, in the
 * notation of templates/schema.yaml, so that a mistake in a project's copy
 * is a located error like any content error.
 */
#include <string.h>

#include "base/diag.h"
#include "base/searchpath.h"
#include "load/rules.h"
#include "load/schema.h"
#include "load/yaml.h"

/* The shape of a vocabulary (templates/privacy-laws/README.md). */
static const char law_shape[] =
	"law: string\n"
	"short: string?\n"
	"sources?:\n"
	"  - title: string\n"
	"    url: url\n"
	"    read: date\n"
	"terms:\n"
	"  controller: string\n"
	"  controller_native: string?\n"
	"  acts_for: string\n"
	"  agreement: string\n"
	"  an_agreement: string\n"
	"  recipient: string\n"
	"  recipients: string\n"
	"  officer: string?\n"
	"  officer_native: string?\n"
	"  authority: string\n"
	"  basis_heading: string\n"
	"rights?: [string]\n"
	"complaints: bool\n"
	"notice: text?\n"
	"publish_representative: bool\n"
	"requires?: [string]\n";

/* The shape of templates/commitments.yaml. */
static const char commitments_shape[] =
	"commitments:\n"
	"  - fact: string\n"
	"    what: string\n"
	"    documents: [string]\n";

/* A rules file loaded and checked against `shape`; NULL after an error. */
static val *
load_checked(const char *path, const char *shape, const char *name)
{
	g_autoptr(val) schema = yaml_load_string(name, shape, strlen(shape));
	g_assert(schema);
	val *v = yaml_load_file(path);
	if (!v)
		return NULL;
	if (!schema_check(v, schema, "")) {
		val_free(v);
		return NULL;
	}
	return v;
}

/* The vocabularies there are, for the message about an unknown one. */
static GPtrArray *
law_names(const char *templates_dir)
{
	g_auto(GStrv) dirs = searchpath_dirs(templates_dir);
	GString *list = g_string_new(NULL);
	for (guint i = 0; dirs[i]; i++) {
		g_autofree char *d = g_build_filename(dirs[i], RULES_LAWS_DIR, NULL);
		if (list->len)
			g_string_append(list, G_SEARCHPATH_SEPARATOR_S);
		g_string_append(list, d);
	}
	g_autofree char *laws = g_string_free(list, FALSE);
	GPtrArray *names = searchpath_list(laws, ".yaml");
	for (guint i = 0; i < names->len; i++)
		*strrchr(g_ptr_array_index(names, i), '.') = '\0';
	return names;
}

/* A name that can only be a file in the vocabularies' folder. */
static bool
plain_name(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '-')
			return false;
	return true;
}

bool
rules_load_privacy_law(val *root, const char *templates_dir)
{
	const val *fw = val_path(root, "compliance.privacy.framework");
	const char *name = fw && fw->kind == VAL_STRING ? fw->str : RULES_LAW_NONE;
	g_autofree char *file = g_strdup_printf("%s/%s.yaml", RULES_LAWS_DIR, name);
	if (!plain_name(name) || !searchpath_has(templates_dir, file)) {
		g_autoptr(GPtrArray) names = law_names(templates_dir);
		g_ptr_array_add(names, NULL);
		const char *hint = diag_suggest(name, (const char *const *)names->pdata);
		g_autofree char *all = g_strjoinv(", ", (char **)names->pdata);
		if (fw && hint)
			diag(DIAG_ERROR, fw->file, fw->line, fw->col,
			     "compliance.privacy.framework: no vocabulary '%s' in templates/%s/ (did you mean '%s'?); there are: %s",
			     name, RULES_LAWS_DIR, hint, all);
		else if (fw)
			diag(DIAG_ERROR, fw->file, fw->line, fw->col,
			     "compliance.privacy.framework: no vocabulary '%s' in templates/%s/; there are: %s",
			     name, RULES_LAWS_DIR, all);
		else
			diag(DIAG_ERROR, templates_dir, 0, 0, "no templates/%s/%s.yaml: the wording of a company "
			     "that names no privacy framework", RULES_LAWS_DIR, RULES_LAW_NONE);
		return false;
	}
	g_autofree char *path = searchpath_find(templates_dir, file);
	val *law = load_checked(path, law_shape, "privacy-law vocabulary");
	if (!law)
		return false;
	val_set_string(law, "id", name);
	val_map_set(root, "privacy_law", law);
	return true;
}

bool
rules_load_commitments(val *root, const char *templates_dir)
{
	if (!searchpath_has(templates_dir, "commitments.yaml"))
		return true;	/* a project that lists none: every fact is optional */
	g_autofree char *path = searchpath_find(templates_dir, "commitments.yaml");
	val *v = load_checked(path, commitments_shape, "commitments list");
	if (!v)
		return false;
	val *c = val_set_map(root, "commitments");
	val_map_set(c, "facts", val_copy(val_get(v, "commitments")));
	val_free(v);
	return true;
}
