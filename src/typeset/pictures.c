/* pictures.c - the program's own pictures, passed in with a document and
 * drawn in place of the image files they stand for (typeset stage; the
 * set is typeset_pictures of typeset.h, one picture a layout_picture of
 * layout.h).
 *
 * Layout finds a picture by the SHA-256 of an image file's bytes
 * (layout_image.c), the device has it draw itself (pdf_device.c), and the
 * layout that showed it lets go of it when it is freed (layout_doc.c).  A
 * picture is counted: the set holds it, and each layout showing it, so a
 * layout kept from one build to the next (build --watch) keeps it after
 * the set of its build is gone.
 */
#include <string.h>

#include "typeset/layout.h"
#include "typeset/typeset.h"

struct layout_picture {
	gint refs;		/* atomic: the set and every layout showing it */
	double width, height;	/* points */
	typeset_draw_fn draw;
	void *data;
	GDestroyNotify free_data;
};

struct typeset_pictures {
	GHashTable *by_sha;	/* SHA-256 (lower-case hex) → layout_picture* */
};

typeset_pictures *
typeset_pictures_new(void)
{
	typeset_pictures *set = g_new0(typeset_pictures, 1);
	set->by_sha = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    (GDestroyNotify)pictures_release);
	return set;
}

void
typeset_pictures_add(typeset_pictures *set, const char *sha256, double width, double height,
		     typeset_draw_fn draw, void *data, GDestroyNotify free_data)
{
	layout_picture *pic = g_new0(layout_picture, 1);
	*pic = (layout_picture){ .refs = 1, .width = width, .height = height, .draw = draw,
				 .data = data, .free_data = free_data };
	g_hash_table_replace(set->by_sha, g_ascii_strdown(sha256, -1), pic);
}

void
typeset_pictures_free(typeset_pictures *set)
{
	if (!set)
		return;
	g_hash_table_unref(set->by_sha);
	g_free(set);
}

layout_picture *
pictures_find(const typeset_pictures *set, const void *data, size_t len,
		    double *width, double *height)
{
	if (!set || g_hash_table_size(set->by_sha) == 0)
		return NULL;
	g_autofree char *sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	layout_picture *pic = g_hash_table_lookup(set->by_sha, sha);
	if (!pic)
		return NULL;
	g_atomic_int_inc(&pic->refs);
	*width = pic->width;
	*height = pic->height;
	return pic;
}

void
pictures_draw(const layout_picture *pic, cairo_t *cr)
{
	pic->draw(cr, pic->data);
}

void
pictures_release(layout_picture *pic)
{
	if (!pic || !g_atomic_int_dec_and_test(&pic->refs))
		return;
	if (pic->free_data)
		pic->free_data(pic->data);
	g_free(pic);
}
