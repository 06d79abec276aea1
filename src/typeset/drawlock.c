/* drawlock.c - the drawing lock: the turns typesetting threads take at
 * Pango and the fonts (see drawlock.h), and the fonts' first loading
 * (typeset_prepare).
 *
 * Pango objects are not thread-safe, and each thread lays out with fonts
 * of its own (Pango's default font map is per thread).  A typeset_doc's
 * PangoLayouts are drawn by other threads, though, into its own PDF and
 * into the dossier at once.  So laying out with one's own objects
 * (DRAWLOCK_OWN: typeset_doc_new, and the independent typeset_markdown
 * and typeset_dump) shares the lock as readers, each on its own font map;
 * touching laid-out docs (DRAWLOCK_OTHERS: typeset_doc_render,
 * typeset_dossier, typeset_doc_free) holds it alone, page output and the
 * font subsets of cairo_surface_finish() included: those go through
 * FreeType faces the layout threads share (a build crashed about 1 in 20
 * times while Cairo wrote pages unlocked).  Drawing never overlaps layout,
 * and two drawings touch Pango and FreeType in turns.
 */
#include <pango/pangocairo.h>

#include "typeset/drawlock.h"
#include "typeset/pdf_device.h"

static GRWLock lock;

void
drawlock_take(drawlock_turn turn)
{
	if (turn == DRAWLOCK_OWN)
		g_rw_lock_reader_lock(&lock);
	else
		g_rw_lock_writer_lock(&lock);
}

void
drawlock_give(drawlock_turn turn)
{
	if (turn == DRAWLOCK_OWN)
		g_rw_lock_reader_unlock(&lock);
	else
		g_rw_lock_writer_unlock(&lock);
}

int
drawlock_render(drawlock_turn held, const layout_doc *doc, const typeset_meta *meta,
		const char *title, const char *name, GBytes **pdf)
{
	(void)held;	/* every step runs inside the caller's turn */
	pdf_device *dev = pdf_device_new(doc, meta, title);
	int rc = 0;

	for (guint p = 0; p < doc->pages->len && rc == 0; p++) {
		rc = pdf_device_draw_page(dev, p);
		pdf_device_show_page(dev);
	}
	pdf_device_end_drawing(dev);
	return pdf_device_finish(dev, rc, name, pdf);
}

/* ---- the first fonts ----------------------------------------------------- */

static GThread *preparing;

static gpointer
prepare(gpointer unused)
{
	PangoFontMap *fm = pango_cairo_font_map_new();
	PangoContext *ctx = pango_font_map_create_context(fm);
	PangoLayout *pl = pango_layout_new(ctx);
	static const char *const families[] = { "serif", "sans", "monospace" };
	for (size_t i = 0; i < G_N_ELEMENTS(families); i++) {
		PangoFontDescription *fd = pango_font_description_from_string(families[i]);
		pango_layout_set_font_description(pl, fd);
		pango_layout_set_text(pl, "Aa 1 \xE2\x80\x94 \xC3\xB1", -1);
		int w, h;
		pango_layout_get_size(pl, &w, &h);
		pango_font_description_free(fd);
	}
	g_object_unref(pl);
	g_object_unref(ctx);
	g_object_unref(fm);
	return NULL;
}

void
typeset_prepare(void)
{
	static gsize once;
	if (g_once_init_enter(&once)) {
		preparing = g_thread_new("dossier-fonts", prepare, NULL);
		g_once_init_leave(&once, 1);
	}
}

void
typeset_prepare_wait(void)
{
	if (preparing)
		g_thread_join(g_steal_pointer(&preparing));
}
