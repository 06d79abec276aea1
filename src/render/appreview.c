/* render/appreview.c - the App Review kit in memory (render stage; see appreview.h). */
#include <string.h>

#include "base/searchpath.h"
#include "render/appreview.h"

static void
file_free(gpointer p)
{
	appreview_file *f = p;
	g_free(f->name);
	g_free(f->markdown);
	g_free(f);
}

/* Render `tmpl` against root as `name`; false after a located error. */
static bool
add(GPtrArray *kit, package *pkg, val *root, const char *tmpl, char *name)
{
	char *md = package_render_one(pkg, tmpl, root);
	if (!md) {
		g_free(name);
		return false;
	}
	appreview_file *f = g_new0(appreview_file, 1);
	f->name = name;
	f->markdown = md;
	g_ptr_array_add(kit, f);
	return true;
}

GPtrArray *
appreview_render(package *pkg, val *root, const char *templates_dir)
{
	GPtrArray *kit = g_ptr_array_new_with_free_func(file_free);
	const val *perms = val_path(root, "programme.permissions");
	bool ok = true;
	for (guint i = 0; i < val_len(perms) && ok; i++) {
		const val *perm = val_index(perms, i);
		const char *id = val_get(perm, "id")->str;
		val_map_set(root, "permission", val_copy(perm));
		g_autofree char *own = g_strdup_printf("app-review-justification-%s.mustache", id);
		const char *tmpl = searchpath_has(templates_dir, own) ? own : "app-review-justification.mustache";
		ok = add(kit, pkg, root, tmpl, g_strdup_printf("%s-justification.md", id)) &&
		     add(kit, pkg, root, "app-review-shot-list.mustache", g_strdup_printf("%s-shot-list.md", id));
	}
	if (ok && val_len(perms) > 0)
		ok = add(kit, pkg, root, "app-review-reviewer.mustache", g_strdup("reviewer-instructions.md")) &&
		     add(kit, pkg, root, "app-review-data-handling.mustache", g_strdup("data-handling.md")) &&
		     add(kit, pkg, root, "app-review-verification.mustache", g_strdup("business-verification.md"));
	if (!ok) {
		g_ptr_array_unref(kit);
		return NULL;
	}
	return kit;
}
