/* cli/lazysoup.c - libsoup-3.0 opened when `dossier serve` starts (see
 * lazysoup.h).  The file name is the library's soname, which the Makefile
 * reads from the library it compiles against (LAZY_SOUP).
 */
#include <gmodule.h>

#include "cli/lazysoup.h"

#ifndef LAZY_SOUP
#error "LAZY_SOUP (libsoup-3.0's soname) is set by the Makefile"
#endif
G_STATIC_ASSERT(sizeof LAZY_SOUP > 1);

const lazy_soup *
lazy_soup_open(char **why)
{
	static lazy_soup soup;
	static const char *const names[] = {
#define X(name) "soup_" #name,
		LAZY_SOUP_FUNCTIONS(X)
#undef X
	};
	G_STATIC_ASSERT(sizeof soup == G_N_ELEMENTS(names) * sizeof(gpointer));
	GModule *m = g_module_open(LAZY_SOUP, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	if (!m) {
		*why = g_strdup(g_module_error());
		return NULL;
	}
	gpointer *table = (gpointer *)&soup;	/* the table is its functions in order */
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		if (!g_module_symbol(m, names[i], &table[i]) || !table[i]) {
			*why = g_strdup_printf("%s has no %s", LAZY_SOUP, names[i]);
			g_module_close(m);
			return NULL;
		}
	}
	g_module_make_resident(m);
	return &soup;
}
