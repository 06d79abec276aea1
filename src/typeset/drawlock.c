/* drawlock.c - the drawing lock: the turns typesetting threads take at
 * Pango and the fonts (see drawlock.h), the loop that draws a layout in
 * those turns, and the fonts themselves: their FreeType faces and their
 * first loading (typeset_prepare).
 *
 * Pango objects are not thread-safe, and each thread lays out with fonts
 * of its own (Pango's default font map is per thread).  A typeset_doc's
 * PangoLayouts are drawn by other threads, though, into its own PDF and
 * into the dossier at once.  So laying out with one's own objects
 * (DRAWLOCK_OWN: typeset_doc_new, and the independent typeset_markdown
 * and typeset_dump) shares the lock as readers, each on its own font map;
 * touching laid-out docs (DRAWLOCK_OTHERS: typeset_doc_render,
 * typeset_dossier, typeset_doc_free) holds it alone.  Pango's objects are
 * never touched by two threads at once.
 *
 * Below Pango every thread shares Cairo's fonts: one cairo_font_face_t and
 * one FreeType face per font file, for the whole process.  Cairo 1.16 uses
 * each face under a lock of its own, but keeps no more than ten faces open:
 * a thread that needs an eleventh closes (FT_Done_Face) one that another
 * thread may just have started to use, and two threads open faces
 * (FT_New_Face) on Cairo's one FT_Library at once, which FreeType does not
 * allow.  A document mixing scripts uses twenty font files, and a build of
 * one crashed about 1 in 3 times (SIGSEGV in FreeType, or Cairo's
 * `index < array->num_elements' assertion); the example, with fewer, about
 * 1 in 60 under load (issue 22).  So this file opens every font file
 * itself, once, under `faces_lock`, and gives Cairo the FT_Face: Cairo
 * never closes a face it did not open (see "the fonts" below).  Every
 * Cairo and FreeType call that touches a font then goes through a face
 * that stays open, under Cairo's lock for that face; none takes the turn
 * at Pango.  That is why pages are written (cairo_show_page) and the font
 * subsets made (cairo_surface_finish) outside the turn: two drawings
 * write their pages in parallel.
 */
#include <dlfcn.h>
#include <pthread.h>

#include <cairo-ft.h>
#include <fontconfig/fcfreetype.h>
#include <pango/pangocairo.h>

#include "typeset/drawlock.h"
#include "typeset/pdf_device.h"
#include "typeset/pdf_finish.h"

/* POSIX locks, initialised statically, so that ThreadSanitizer sees every
 * turn (make tsan): GLib's GRWLock makes its pthread_rwlock_t on first use
 * with an atomic exchange inside GLib, and its GMutex is a futex, both out
 * of ThreadSanitizer's sight. */
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

void
drawlock_take(drawlock_turn turn)
{
	if (turn == DRAWLOCK_OWN)
		pthread_rwlock_rdlock(&lock);
	else
		pthread_rwlock_wrlock(&lock);
}

void
drawlock_give(drawlock_turn turn)
{
	(void)turn;	/* the same call for both */
	pthread_rwlock_unlock(&lock);
}

int
drawlock_render(drawlock_turn held, const layout_doc *doc, const typeset_meta *meta,
		const char *title, const char *name, GBytes **pdf)
{
	pdf_device *dev = pdf_device_new(doc, meta, title);
	int rc = 0;

	for (guint p = 0; p < doc->pages->len && rc == 0; p++) {
		rc = pdf_device_draw_page(dev, p);
		/* Cairo alone, through faces that stay open: outside the turn,
		 * so another drawing touches Pango meanwhile. */
		drawlock_give(held);
		pdf_device_show_page(dev);
		drawlock_take(held);
	}
	pdf_device_end_drawing(dev);
	drawlock_give(held);
	/* Then the finishing step writes what Cairo cannot (pdf_finish.h): no Pango,
	 * no fonts, so outside the turn too. */
	pdf_finish_job *job = NULL;
	*pdf = NULL;
	rc = pdf_device_finish(dev, rc, name, &job);
	if (rc == 0)
		rc = pdf_finish_run(job, name, pdf);
	drawlock_take(held);
	return rc;
}

/* ---- the fonts ----------------------------------------------------------- */

/* Every font file's FreeType face (with its face index), opened once and
 * never closed: Cairo uses it under its own lock for that face. */
static pthread_mutex_t faces_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *faces;	/* "INDEX:FILE" → FT_Face */
static FT_Library library;	/* only FT_New_Face, under faces_lock */

static FT_Face
face_of(const char *file, int index)
{
	g_autofree char *key = g_strdup_printf("%d:%s", index, file);
	FT_Face face;

	pthread_mutex_lock(&faces_lock);
	if (!faces) {
		faces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		if (FT_Init_FreeType(&library) != 0)
			library = NULL;
	}
	face = g_hash_table_lookup(faces, key);
	if (!face && library && FT_New_Face(library, file, index, &face) == 0)
		g_hash_table_insert(faces, g_steal_pointer(&key), face);
	pthread_mutex_unlock(&faces_lock);
	return face;
}

typedef cairo_font_face_t *(*create_for_pattern_fn)(FcPattern *pattern);
static create_for_pattern_fn cairos_create;	/* Cairo's own */

static void
find_cairos(void)
{
	/* The next definition after this program's: libcairo's. */
	*(void **)&cairos_create = dlsym(RTLD_NEXT, "cairo_ft_font_face_create_for_pattern");
}

/* Cairo's font face for a fontconfig pattern, made over a face from
 * face_of().  Pango's Cairo fonts (and librsvg's, through Pango) ask Cairo
 * for their font faces with this function; the dynamic linker gives them
 * this definition, the program's, before libcairo's, which it calls with
 * the face added to the pattern (FC_FT_FACE).  Cairo takes such a face as
 * one it must not close.  A pattern that names no file, or a file
 * FreeType cannot open, goes to Cairo as it is. */
cairo_font_face_t *
cairo_ft_font_face_create_for_pattern(FcPattern *pattern)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	FcChar8 *file = NULL;
	int index = 0;
	FT_Face face = NULL;

	pthread_once(&once, find_cairos);
	if (FcPatternGetFTFace(pattern, FC_FT_FACE, 0, &face) == FcResultMatch ||
	    FcPatternGetString(pattern, FC_FILE, 0, &file) != FcResultMatch)
		return cairos_create(pattern);
	FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
	face = face_of((const char *)file, index);
	if (!face)
		return cairos_create(pattern);
	FcPattern *with = FcPatternDuplicate(pattern);
	FcPatternAddFTFace(with, FC_FT_FACE, face);
	cairo_font_face_t *ff = cairos_create(with);
	FcPatternDestroy(with);
	return ff;
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
