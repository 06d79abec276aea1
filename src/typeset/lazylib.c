/* lazylib.c - librsvg and poppler-glib opened on first use (see
 * lazylib.h).  The file names are the libraries' sonames, which the
 * Makefile reads from the libraries it compiles against (LAZY_RSVG,
 * LAZY_POPPLER).
 */
#include <dlfcn.h>
#include <gmodule.h>
#include <string.h>

#include "base/record.h"
#include "typeset/lazylib.h"

#ifndef LAZY_RSVG
#error "LAZY_RSVG (librsvg's soname) is set by the Makefile"
#endif
#ifndef LAZY_POPPLER
#error "LAZY_POPPLER (poppler-glib's soname) is set by the Makefile"
#endif

/* Empty when the Makefile found no library to read the soname from. */
G_STATIC_ASSERT(sizeof LAZY_RSVG > 1 && sizeof LAZY_POPPLER > 1);

#define LAZY_MAX_FNS 64

typedef struct {
	const char *file;		/* soname */
	const char *const *names;	/* the functions, NULL-terminated */
	void *table;			/* lazy_rsvg or lazy_poppler: a pointer
					 * to each, in the order of the names */
	GOnce once;
	const char *why;		/* why it could not be opened, or NULL */
	char *path;			/* the file opened, for records */
} lazy_lib;

/* Open lib->file and find every function; the table, or NULL. */
static gpointer
lazy_open(gpointer data)
{
	lazy_lib *lib = data;
	GModule *m = g_module_open(lib->file, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	if (!m) {
		lib->why = g_strdup(g_module_error());
		return NULL;
	}
	gpointer found[LAZY_MAX_FNS];
	size_t n = 0;
	for (; lib->names[n]; n++) {
		if (!g_module_symbol(m, lib->names[n], &found[n]) || !found[n]) {
			lib->why = g_strdup_printf("%s has no %s", lib->file, lib->names[n]);
			g_module_close(m);
			return NULL;
		}
	}
	g_module_make_resident(m);
	Dl_info info;
	lib->path = g_strdup(dladdr(found[0], &info) && info.dli_fname ? info.dli_fname : lib->file);
	memcpy(lib->table, found, n * sizeof found[0]);	/* as dlsym(3) is used */
	return lib->table;
}

static lazy_rsvg rsvg;
static const char *const rsvg_names[] = {
	"rsvg_handle_new_from_data", "rsvg_handle_set_dpi",
	"rsvg_handle_get_intrinsic_size_in_pixels", "rsvg_handle_get_intrinsic_dimensions",
	"rsvg_handle_render_document", NULL,
};
static lazy_lib rsvg_lib = { LAZY_RSVG, rsvg_names, &rsvg, G_ONCE_INIT, NULL, NULL };

static lazy_poppler poppler;
static const char *const poppler_names[] = {
	"poppler_document_new_from_gfile", "poppler_document_get_n_pages",
	"poppler_document_get_page", "poppler_page_get_size", "poppler_page_render",
	"poppler_page_render_for_printing", "poppler_document_new_from_bytes", "poppler_document_get_creator",
	"poppler_page_get_text", NULL,
};
static lazy_lib poppler_lib = { LAZY_POPPLER, poppler_names, &poppler, G_ONCE_INIT, NULL, NULL };


/* The tables are arrays of function pointers in the order of the names. */
G_STATIC_ASSERT(sizeof(lazy_rsvg) == (G_N_ELEMENTS(rsvg_names) - 1) * sizeof(gpointer));
G_STATIC_ASSERT(sizeof(lazy_poppler) == (G_N_ELEMENTS(poppler_names) - 1) * sizeof(gpointer));
G_STATIC_ASSERT(G_N_ELEMENTS(poppler_names) - 1 <= LAZY_MAX_FNS);
G_STATIC_ASSERT(G_N_ELEMENTS(rsvg_names) - 1 <= LAZY_MAX_FNS);

static gconstpointer
lazy_get(lazy_lib *lib, const char **why)
{
	gconstpointer t = g_once(&lib->once, lazy_open, lib);
	if (!t && why)
		*why = lib->why;
	if (t)	/* what a document was made with (base/record.h) */
		record_lib(record_current(), lib->path);
	return t;
}

const lazy_rsvg *
lazy_rsvg_get(const char **why)
{
	return lazy_get(&rsvg_lib, why);
}

const lazy_poppler *
lazy_poppler_get(const char **why)
{
	return lazy_get(&poppler_lib, why);
}
