/* floor.c - the plain Pango + Cairo floor for `make bench`: a Markdown file
 * set as its raw text, one paragraph per blank-line-separated block, in
 * DejaVu Serif 10 pt on A4 with the margins dossier uses, broken into pages
 * by lines, written as a PDF.  No Markdown parsing, no headings, tables,
 * links, images, outline or page furniture: what any typesetter built on
 * Pango and Cairo pays at least, to compare `dossier pdf` with.
 *
 *     bench/floor IN.md OUT.pdf
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 70.0

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor IN.md OUT.pdf\n");
		return 2;
	}
	char *text = NULL;
	if (!g_file_get_contents(argv[1], &text, NULL, NULL)) {
		fprintf(stderr, "floor: cannot read %s\n", argv[1]);
		return 2;
	}
	cairo_surface_t *s = cairo_pdf_surface_create(argv[2], PAGE_W, PAGE_H);
	cairo_t *cr = cairo_create(s);
	PangoLayout *pl = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("DejaVu Serif 10");
	pango_layout_set_font_description(pl, fd);
	pango_layout_set_width(pl, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	double y = MARGIN;
	char **blocks = g_strsplit(text, "\n\n", -1);
	for (char **b = blocks; *b; b++) {
		g_strstrip(*b);
		if (!**b)
			continue;
		pango_layout_set_text(pl, *b, -1);
		PangoLayoutIter *it = pango_layout_get_iter(pl);
		do {
			PangoRectangle r;
			pango_layout_iter_get_line_extents(it, NULL, &r);
			double h = r.height / (double)PANGO_SCALE;
			if (y + h > PAGE_H - MARGIN) {
				cairo_show_page(cr);
				y = MARGIN;
			}
			double base = (pango_layout_iter_get_baseline(it) - r.y) / (double)PANGO_SCALE;
			cairo_move_to(cr, MARGIN, y + base);
			pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
			y += h;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
		y += 7;
	}
	g_strfreev(blocks);
	pango_font_description_free(fd);
	g_object_unref(pl);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	g_free(text);
	return ok ? 0 : 2;
}
