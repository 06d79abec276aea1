/* write/drawings.c - pictures registered by the bytes of their SVG files and
 * drawn by their own routine into the PDFs (see drawings.h).
 */
#include <stdbool.h>
#include <string.h>

#include "write/drawings.h"
#include "typeset/typeset.h"

typedef struct {
	gint refs;		/* atomic: the registry and each document using it */
	double width, height;
	drawing_fn draw;
	void *data;
	GDestroyNotify free_data;
} drawing;

static GMutex lock;
static GHashTable *by_sha;	/* SHA-256 of the SVG bytes -> drawing */

static void
drawing_unref(gpointer p)
{
	drawing *d = p;
	if (!g_atomic_int_dec_and_test(&d->refs))
		return;
	if (d->free_data)
		d->free_data(d->data);
	g_free(d);
}

static void *
claim(const char *path, const void *data, size_t len, double *w, double *h)
{
	(void)path;
	g_mutex_lock(&lock);
	bool any = by_sha && g_hash_table_size(by_sha) > 0;
	g_mutex_unlock(&lock);
	if (!any)
		return NULL;
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	g_mutex_lock(&lock);
	drawing *d = by_sha ? g_hash_table_lookup(by_sha, sha) : NULL;
	if (d)
		g_atomic_int_inc(&d->refs);
	g_mutex_unlock(&lock);
	if (!d)
		return NULL;
	*w = d->width;
	*h = d->height;
	return d;
}

static void
draw(void *p, cairo_t *cr)
{
	drawing *d = p;
	d->draw(cr, d->data);
}

static const typeset_drawer drawer = { claim, draw, drawing_unref };

void
drawings_add_digest(const char *sha256, double width, double height, drawing_fn fn,
		    void *data, GDestroyNotify free_data)
{
	drawing *d = g_new0(drawing, 1);
	*d = (drawing){ .refs = 1, .width = width, .height = height, .draw = fn, .data = data,
			.free_data = free_data };
	g_mutex_lock(&lock);
	if (!by_sha)
		by_sha = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, drawing_unref);
	g_hash_table_replace(by_sha, g_ascii_strdown(sha256, -1), d);
	g_mutex_unlock(&lock);
	typeset_set_drawer(&drawer);
}

void
drawings_add(const char *svg, gsize len, double width, double height, drawing_fn fn,
	     void *data, GDestroyNotify free_data)
{
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)svg, len);
	drawings_add_digest(sha, width, height, fn, data, free_data);
}

void
drawings_clear(void)
{
	g_mutex_lock(&lock);
	if (by_sha)
		g_hash_table_remove_all(by_sha);
	g_mutex_unlock(&lock);
}
