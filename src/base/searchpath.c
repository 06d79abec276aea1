/* base/searchpath.c - files looked up in a list of folders (see searchpath.h). */
#include <stdbool.h>
#include <string.h>

#include "base/file.h"
#include "base/searchpath.h"

char **
searchpath_dirs(const char *list)
{
	char **dirs = g_strsplit(list, G_SEARCHPATH_SEPARATOR_S, -1);
	guint n = 0;
	for (guint i = 0; dirs[i]; i++)	/* an empty entry is no folder */
		if (*dirs[i])
			dirs[n++] = dirs[i];
		else
			g_free(dirs[i]);
	dirs[n] = NULL;
	return dirs;
}

static char *
find(const char *list, const char *name, bool fallback)
{
	g_auto(GStrv) dirs = searchpath_dirs(list);
	for (guint i = 0; dirs[i]; i++) {
		char *path = g_build_filename(dirs[i], name, NULL);
		if (file_exists(path))	/* a miss is recorded: a file put there later is used */
			return path;
		g_free(path);
	}
	return fallback ? g_build_filename(dirs[0] ? dirs[0] : ".", name, NULL) : NULL;
}

char *
searchpath_find(const char *list, const char *name)
{
	return find(list, name, true);
}

bool
searchpath_has(const char *list, const char *name)
{
	g_autofree char *p = find(list, name, false);
	return p != NULL;
}

static gint
cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
searchpath_list(const char *list, const char *suffix)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_auto(GStrv) dirs = searchpath_dirs(list);
	for (guint i = 0; dirs[i]; i++) {
		g_autoptr(GPtrArray) all = file_list(dirs[i]);
		for (guint k = 0; k < all->len; k++) {
			const char *name = all->pdata[k];
			if (name[0] == '.' || !g_str_has_suffix(name, suffix) ||
			    g_hash_table_contains(seen, name))
				continue;
			char *copy = g_strdup(name);
			g_ptr_array_add(names, copy);
			g_hash_table_add(seen, copy);
		}
	}
	g_ptr_array_sort(names, cmp_names);
	return names;
}
